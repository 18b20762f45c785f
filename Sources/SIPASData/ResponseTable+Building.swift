import SIPASInstrument

extension ResponseTable {
    /// A table built in code rather than read from a file (simulations, tests, other front ends).
    ///
    /// - Parameters:
    ///   - answers: item id → one answer per respondent (nil = missing). Every instrument criterion must be
    ///     present; other items are optional. Answers are validated like the CSV reader does: an invalid code
    ///     is an error naming the item and the respondent (1-based).
    ///   - metadata: other columns as text, one value per respondent ("" = blank).
    public init(source: String, instrument: Instrument, answers: [String: [Int?]], metadata: [(String, [String])] = [])
        throws
    {
        self.init(source: source, instrument: instrument)
        let count = answers.values.first?.count ?? metadata.first?.1.count ?? 0
        for item in instrument.items {
            guard let values = answers[item.id] else {
                if item.role == .criterion {
                    throw DataError(file: source, column: item.id, message: "no answers given for criterion '\(item.id)'")
                }
                absentItems.append(item)
                continue
            }
            guard values.count == count else {
                throw DataError(file: source, column: item.id, message: "\(values.count) answers for \(count) respondents")
            }
            guard item.scale.top != nil else {
                throw DataError(file: source, column: item.id, message: "nominal items cannot be built in code yet; read them from a file")
            }
            var column = ItemColumn(item: item, sourceColumn: item.id, capacity: count)
            for (row, value) in values.enumerated() {
                guard let value else { column.values.append(0); column.blankCount += 1; continue }
                if item.missingCodes.contains(value) {
                    column.values.append(0)
                    column.missingCodeCounts[value, default: 0] += 1
                } else if item.scale.isValid(value) {
                    column.values.append(UInt8(value))
                } else {
                    throw DataError(file: source, row: row + 1, column: item.id,
                                    message: "\(value) is not a valid \(item.scale.name) answer (expected \(item.scale.validAnswers))")
                }
            }
            items.append(column)
        }
        for (name, values) in metadata {
            guard values.count == count else {
                throw DataError(file: source, column: name, message: "\(values.count) values for \(count) respondents")
            }
            var column = TextColumn(name: name)
            for value in values { column.append(value) }
            self.metadata.append(column)
        }
        rowCount = count
    }
}
