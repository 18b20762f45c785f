import SIPASInstrument
import SIPASModels

extension DriverResult {
    /// One sentence per factor for a planner, in the chosen language (Vietnamese decimal comma).
    public func sentences(_ model: DriverModel, language: Language) -> [String] {
        let style = NumberStyle(language: language)
        let level = Int((options.confidenceLevel * 100).rounded())
        return factors.enumerated().map { j, factor in
            let b = model.regression.coefficients[j + 1]
            let label = factor.label.text(language)
            let share = 100 * model.importance.lmg[j] / model.importance.rSquared
            let interval = model.bootstrap.map { (100 * $0.shareIntervals[j].lower, 100 * $0.shareIntervals[j].upper) }
            let includesZero = b.confidenceLower <= 0 && b.confidenceUpper >= 0
            switch language {
            case .en:
                var text = "One point more on \(label) goes with \(b.estimate >= 0 ? "+" : "−")\(style.fixed(abs(b.estimate))) points of overall satisfaction "
                    + "(\(level)% CI \(style.fixed(b.confidenceLower)) to \(style.fixed(b.confidenceUpper)))"
                if includesZero { text += ", not distinguishable from zero" }
                text += "; \(label) accounts for \(style.fixed(share, decimals: 0))% of the explained variation"
                if let interval { text += " (\(level)% CI \(style.fixed(interval.0, decimals: 0))% to \(style.fixed(interval.1, decimals: 0))%)" }
                return text + "."
            case .vi:
                var text = "Mỗi điểm tăng thêm về \(label) đi kèm mức hài lòng chung \(b.estimate >= 0 ? "cao" : "thấp") hơn \(style.fixed(abs(b.estimate))) điểm "
                    + "(KTC \(level)%: \(style.fixed(b.confidenceLower)) đến \(style.fixed(b.confidenceUpper)))"
                if includesZero { text += ", chưa khác 0 có ý nghĩa thống kê" }
                text += "; \(label) chiếm \(style.fixed(share, decimals: 0))% phần biến thiên được giải thích"
                if let interval { text += " (KTC \(level)%: \(style.fixed(interval.0, decimals: 0))% đến \(style.fixed(interval.1, decimals: 0))%)" }
                return text + "."
            }
        }
    }
}
