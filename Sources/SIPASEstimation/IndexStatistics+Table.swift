import SIPASData
import SIPASDesign
import SIPASInstrument

extension IndexStatistics {
    /// Computes `IndexStatistics` from an in-memory table, for all its rows or for a shard of them.
    ///
    /// The design is built once, over every row of the table but empty lines (as `IndexAnalysis.run` builds
    /// it), so that shards number strata and units alike and their statistics add. Rows left out of the
    /// indices (empty lines, a `where` filter, a blank group value, no criterion answered) contribute nothing.
    public struct Collector: Sendable {
        public let table: ResponseTable
        public let layout: Layout
        /// The declared design, or nil for a simple random sample.
        public let design: SurveyDesign?
        let groupingColumns: [TextColumn]
        let reasons: [String?]
        let designRow: [Int]
        let scored: [ItemColumn]
        let nominal: [ItemColumn]
        /// Whether the intervals need the second pass (`powerSums(rows:means:)`).
        public let needsPowerSums: Bool

        /// - Throws: `StatisticsUnavailable` when the analysis `options` ask for needs rows; data and design
        ///   errors as `IndexAnalysis.run` throws them.
        public init(table: ResponseTable, by groupColumns: [String] = [], options: IndexOptions = .init()) throws {
            self.table = table
            groupingColumns = try groupColumns.map { try table.requireMetadata($0) }
            reasons = IndexAnalysis.rowReasons(table: table, groupingColumns: groupingColumns)
            let emptyLines = Set(table.emptyLineRows)
            let designRows = (0..<table.rowCount).filter { !emptyLines.contains($0) }
            design = options.design.isEmpty ? nil : try options.design.build(table: table, rows: designRows)
            if let reason = StatisticsUnavailable.reason(options: options, design: design) { throw reason }
            needsPowerSums = StatisticsUnavailable.needsPowerSums(options: options, design: design)
            var designRow = [Int](repeating: -1, count: table.rowCount)
            for (index, row) in designRows.enumerated() { designRow[row] = index }
            self.designRow = designRow

            scored = table.items.filter { $0.item.scale.top != nil }
            let partOfItem = Dictionary(uniqueKeysWithValues: scored.enumerated().map { ($1.item.id, $0) })
            var composites: [[Int]] = [], nominal: [ItemColumn] = [], categoryStart = [0]
            var entries: [Entry] = []
            for entry in IndexCalculator.entries(table: table, partOfItem: partOfItem) {
                switch entry {
                case .composite(let kind, let id, let label, let parts, let share):
                    entries.append(.composite(kind: kind, id: id, label: label, composite: composites.count, share: share))
                    composites.append(parts)
                case .nominal(let kind, let column):
                    guard case .nominal(let categories) = column.item.scale else { continue }
                    entries.append(.nominal(kind: kind, item: nominal.count, categories: categories.map { category in
                        (id: "\(column.item.id):\(category.code)",
                         label: LocalizedText(vi: "\(column.item.label.vi): \(category.label.vi)",
                                              en: "\(column.item.label.en): \(category.label.en)"))
                    }))
                    nominal.append(column)
                    categoryStart.append(categoryStart.last! + categories.count)
                }
            }
            self.nominal = nominal
            let aggregation: Aggregation = design.map { $0.respondentsAreUnits ? .strata : .units(stage: $0.varianceStageCount - 1) } ?? .strata
            layout = Layout(groupColumns: groupColumns, items: scored.map(\.item.id), tops: scored.map { $0.item.scale.top ?? 0 },
                            nominalItems: nominal.map(\.item.id), categoryStart: categoryStart, aggregation: aggregation,
                            designRowCount: designRows.count, entries: entries, composites: composites)
        }

        /// The statistics of every row of the table, with the second pass when the intervals need it.
        public func statistics() -> IndexStatistics {
            var statistics = statistics(rows: 0..<table.rowCount)
            if needsPowerSums { statistics.powerSums = powerSums(rows: 0..<table.rowCount, means: statistics) }
            return statistics
        }

        /// Per item and answer code (`[j · 16 + code]`): the score, Y = y − m and T = t − ½.
        func centring() -> (scoreOf: [Int], score: [Double], top: [Double]) {
            let p = layout.p, tops = layout.tops, stride = 16
            var scoreOf = [Int](repeating: 0, count: max(1, p * stride))
            var centredScore = [Double](repeating: 0, count: max(1, p * stride)), centredTop = centredScore
            for (j, column) in scored.enumerated() where tops[j] > 0 {
                precondition(tops[j] < stride, "scales have at most 15 levels")
                for answer in 1...tops[j] {
                    let score = column.item.score(answer)
                    scoreOf[j * stride + answer] = score
                    centredScore[j * stride + answer] = Double(score) - Double(tops[j] + 1) / 2
                    centredTop[j * stride + answer] = (score >= tops[j] - 1 ? 1 : 0) - 0.5
                }
            }
            return (scoreOf, centredScore, centredTop)
        }

        /// The design unit numbers of a used row: its stratum, its cell's unit, its weight.
        /// The groups row `row` counts in: the whole sample, and its combination of the grouping columns' values
        /// (looked up by the columns' codes in `cache`, so that a row costs no string work).
        func groups(of row: Int, cache: inout [[UInt32]: [String]]) -> [[String]] {
            guard !groupingColumns.isEmpty else { return [[]] }
            let codes = groupingColumns.map { $0.codes[row] }
            if let key = cache[codes] { return [[], key] }
            let key = zip(groupingColumns, codes).map { $0.levels[Int($1)] }
            cache[codes] = key
            return [[], key]
        }

        func place(_ row: Int) -> (stratum: Int, unit: Int, weight: Double) {
            let designIndex = designRow[row]
            precondition(designIndex >= 0, "a used row outside the design")
            let stratum = design?.stratum(ofRow: designIndex) ?? 0
            switch layout.aggregation {
            case .strata: return (stratum, stratum, design?.weights[designIndex] ?? 1)
            case .units(let stage): return (stratum, design!.unit(ofRow: designIndex, stage: stage), design!.weights[designIndex])
            }
        }

        /// The second pass over `rows` (a shard or all): per (group, stratum) the power sums [Σz, Σz², Σz³, Σz⁴]
        /// of every estimate's influence values zᵢ = wᵢLᵢ, with Lᵢ formed from the group means of `means` (the
        /// first pass over *all* rows, so that shards' power sums add). In SQL: a second GROUP BY with the
        /// means bound as parameters.
        public func powerSums<Rows: Sequence>(rows: Rows, means: IndexStatistics) -> [Key: [Double]] where Rows.Element == Int {
            let stride = 16, slots = layout.powerSlotCount
            let (_, centredScore, centredTop) = centring()
            // Per group: each composite member's cⱼ and dⱼ (index, share), each category's p̂ and 100/A.
            var totals: [[String]: Cell] = [:]
            for (key, cell) in means.cells {
                if totals[key.group] == nil { totals[key.group] = cell } else { totals[key.group]!.add(cell) }
            }
            var coefficients: [[String]: Coefficients] = [:]
            for (group, total) in totals {
                var k = Coefficients(c: [], d: [], cs: [], ds: [], p: [], scale: [])
                for members in layout.composites {
                    let size = Double(members.count)
                    let estimable = members.allSatisfy { total.weight[$0] > 0 }
                    k.c.append(members.map { estimable ? 100 / (size * Double(layout.tops[$0]) * total.weight[$0]) : 0 })
                    k.d.append(members.map { estimable ? total.score[$0] / total.weight[$0] : 0 })
                    k.cs.append(members.map { estimable ? 100 / (size * total.weight[$0]) : 0 })
                    k.ds.append(members.map { estimable ? total.topTwo[$0] / total.weight[$0] : 0 })
                }
                for q in layout.nominalItems.indices {
                    let weight = total.nominalWeight[q]
                    for slot in layout.categoryStart[q]..<layout.categoryStart[q + 1] {
                        k.p.append(weight > 0 ? total.chosenWeight[slot] / weight : 0)
                        k.scale.append(weight > 0 ? 100 / weight : 0)
                    }
                }
                coefficients[group] = k
            }
            var sums: [Key: [Double]] = [:]
            var groupKeys: [[UInt32]: [String]] = [:]
            func add(_ z: Double, _ slot: Int, _ target: inout [Double]) {
                let z2 = z * z
                target[slot] += z; target[slot + 1] += z2; target[slot + 2] += z2 * z; target[slot + 3] += z2 * z2
            }
            for row in rows where reasons[row] == nil {
                let (stratum, _, w) = place(row)
                let groups = self.groups(of: row, cache: &groupKeys)
                for group in groups {
                    guard let k = coefficients[group] else { preconditionFailure("means without the group of a row") }
                    let key = Key(group: group, unit: stratum)
                    var target = sums[key] ?? [Double](repeating: 0, count: slots)
                    for (e, members) in layout.composites.enumerated() {
                        var index = 0.0, share = 0.0, any = false
                        for (position, j) in members.enumerated() {
                            let answer = Int(scored[j].values[row])
                            guard answer != 0 else { continue }
                            any = true
                            index += k.c[e][position] * (centredScore[j * stride + answer] - k.d[e][position])
                            share += k.cs[e][position] * (centredTop[j * stride + answer] - k.ds[e][position])
                        }
                        guard any else { continue }
                        add(w * index, layout.powerSlot(composite: e, share: false), &target)
                        add(w * share, layout.powerSlot(composite: e, share: true), &target)
                    }
                    for (q, column) in nominal.enumerated() where column.values[row] != 0 {
                        for (index, slot) in (layout.categoryStart[q]..<layout.categoryStart[q + 1]).enumerated() {
                            let chosen = column.selections.map { $0[row] & (1 << UInt64(index)) != 0 } ?? (Int(column.values[row]) - 1 == index)
                            add(w * ((chosen ? 1 : 0) - k.p[slot]) * k.scale[slot], layout.powerSlot(category: slot), &target)
                        }
                    }
                    sums[key] = target
                }
            }
            return sums
        }

        /// The statistics of `rows` (table rows, each at most once): a shard. Shards that partition the table
        /// add up (`merging`) to `statistics()`.
        public func statistics<Rows: Sequence>(rows: Rows) -> IndexStatistics where Rows.Element == Int {
            let p = layout.p, stride = 16
            let (scoreOf, centredScore, centredTop) = centring()
            let squared = layout.aggregation == .strata && design != nil
            var cells: [Key: Cell] = [:], strata: [Key: StratumCell] = [:]
            // Group keys by the grouping columns' codes, so that a row costs no string work.
            var groupKeys: [[UInt32]: [String]] = [:]
            var answered: [Int] = [], y: [Double] = [], t: [Double] = []
            answered.reserveCapacity(p); y.reserveCapacity(p); t.reserveCapacity(p)
            for row in rows where reasons[row] == nil {
                let (stratum, unit, w) = place(row)
                let groups = self.groups(of: row, cache: &groupKeys)
                answered.removeAll(keepingCapacity: true); y.removeAll(keepingCapacity: true); t.removeAll(keepingCapacity: true)
                for (j, column) in scored.enumerated() {
                    let answer = Int(column.values[row])
                    guard answer != 0 else { continue }
                    answered.append(j)
                    y.append(centredScore[j * stride + answer])
                    t.append(centredTop[j * stride + answer])
                }
                for group in groups {
                    let key = Key(group: group, unit: unit)
                    if cells[key] == nil { cells[key] = Cell(layout: layout) }
                    add(row: row, weight: w, answered: answered, y: y, t: t, scoreOf: scoreOf, stride: stride, to: &cells[key]!)
                    let stratumKey = Key(group: group, unit: stratum)
                    if strata[stratumKey] == nil {
                        strata[stratumKey] = StratumCell(crossProducts: CrossProducts(p: p), squaredCrossProducts: squared ? CrossProducts(p: p) : nil)
                    }
                    Self.addProducts(weight: w, answered: answered, y: y, t: t, p: p, to: &strata[stratumKey]!.crossProducts)
                    if squared { Self.addProducts(weight: w * w, answered: answered, y: y, t: t, p: p, to: &strata[stratumKey]!.squaredCrossProducts!) }
                }
            }
            return IndexStatistics(layout: layout, cells: cells, strata: strata, powerSums: nil)
        }

        /// One row's first-order sums.
        private func add(row: Int, weight w: Double, answered: [Int], y: [Double], t: [Double], scoreOf: [Int], stride: Int, to cell: inout Cell) {
            for (position, j) in answered.enumerated() {
                let answer = Int(scored[j].values[row])
                cell.answers[j] += 1
                cell.weight[j] += w
                cell.score[j] += w * y[position]
                cell.topTwo[j] += w * t[position]
                cell.scoreCounts[j * stride + scoreOf[j * stride + answer] - 1] += 1
            }
            for (e, members) in layout.composites.enumerated() where members.contains(where: { scored[$0].values[row] != 0 }) {
                cell.respondents[e] += 1
                cell.respondentWeight[e] += w
            }
            for (q, column) in nominal.enumerated() where column.values[row] != 0 {
                cell.nominalAnswers[q] += 1
                cell.nominalWeight[q] += w
                cell.nominalSquaredWeight[q] += w * w
                for index in 0..<(layout.categoryStart[q + 1] - layout.categoryStart[q]) {
                    let chosen = column.selections.map { $0[row] & (1 << UInt64(index)) != 0 } ?? (Int(column.values[row]) - 1 == index)
                    guard chosen else { continue }
                    let slot = layout.categoryStart[q] + index
                    cell.chosen[slot] += 1
                    cell.chosenWeight[slot] += w
                    cell.chosenSquaredWeight[slot] += w * w
                }
            }
        }

        /// One row's cross-products, with weight `w` (w or w²): the rank-one update x xᵀ on the answered items.
        private static func addProducts(weight w: Double, answered: [Int], y: [Double], t: [Double], p: Int, to products: inout CrossProducts) {
            for (a, j) in answered.enumerated() {
                let wy = w * y[a], wt = w * t[a]
                for (b, l) in answered.enumerated() {
                    products.scoreScore[j * p + l] += wy * y[b]
                    products.scoreAnswer[j * p + l] += wy
                    products.answerAnswer[j * p + l] += w
                    products.topTop[j * p + l] += wt * t[b]
                    products.topAnswer[j * p + l] += wt
                }
            }
        }
    }
}

/// A group's coefficients of the influence values in the second pass: per composite and member cⱼ, dⱼ (index)
/// and c'ⱼ, d'ⱼ (share); per category p̂ and 100/A.
private struct Coefficients {
    var c: [[Double]], d: [[Double]], cs: [[Double]], ds: [[Double]], p: [Double], scale: [Double]
}
