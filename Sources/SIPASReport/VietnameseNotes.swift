import Foundation

/// Vietnamese wording of the notes the estimators and models attach to their results (written in English in
/// those modules). A note this table does not know is replaced by a Vietnamese sentence that says a technical
/// note exists and where to read it (the English report or `sipas drivers`), so that nothing is dropped silently
/// and no English reaches the Vietnamese report.
enum VietnameseNotes {
    /// (pattern, template): `$1`, `$2`… in the template are the pattern's groups (numbers get a decimal comma).
    static let rules: [(String, String)] = [
        (#"^condition number ([0-9.]+) \(> 30, scaled design\): strong collinearity, interpret single coefficients with care$"#,
         "Chỉ số điều kiện $1 (> 30, thang chuẩn hóa): các yếu tố tương quan mạnh với nhau, cần thận trọng khi đọc từng hệ số b riêng lẻ."),
        (#"^VIF of '(.+)' is ([0-9.]+) \(> 10\): its coefficient is poorly determined and may flip sign$"#,
         "Hệ số phóng đại phương sai (VIF) của '$1' là $2 (> 10): hệ số của nó ước lượng kém chính xác và có thể đổi dấu."),
        (#"^'(.+)': VIF ([0-9.]+) > 5: read with care, factors are correlated \(its coefficient is imprecise; prefer the LMG share for ranking\)$"#,
         "'$1': VIF $2 > 5: các yếu tố tương quan với nhau, hệ số kém chính xác; nên xếp thứ tự theo tầm quan trọng (tỷ lệ LMG)."),
        (#"^'(.+)': its coefficient \(([-+0-9.]+)\) has the opposite sign of its simple correlation with the outcome \(([-+0-9.]+)\).*$"#,
         "'$1': hệ số ($2) ngược dấu với tương quan đơn của nó với sự hài lòng chung ($3) do các yếu tố tương quan với nhau; điều này không có nghĩa là phục vụ tốt hơn làm giảm sự hài lòng."),
        (#"^only ([0-9]+) clusters: cluster-robust standard errors are unreliable.*$"#,
         "Chỉ có $1 cụm: sai số chuẩn theo cụm kém tin cậy khi có ít hơn khoảng 20–50 cụm (Cameron và Miller, 2015)."),
        (#"^only ([0-9]+) design degrees of freedom.*$"#,
         "Chỉ có $1 bậc tự do theo thiết kế mẫu: khoảng tin cậy dùng phân phối t với $1 bậc tự do và khá rộng."),
        (#"^no bootstrap intervals for the LMG shares: (.*)$"#,
         "Không tính được khoảng tin cậy bootstrap cho tầm quan trọng (tỷ lệ LMG)."),
        (#"^small sample \(n = ([0-9]+) < ([0-9]+)\): interpret with care$"#,
         "Mẫu nhỏ (n = $1 < $2): cần thận trọng khi diễn giải."),
        (#"^fewer than two respondents: no standard error$"#, "Ít hơn hai người trả lời: không tính được sai số chuẩn."),
        (#"^zero sample variance: the t-interval has zero width$"#, "Phương sai mẫu bằng 0: khoảng t có độ rộng bằng 0."),
        (#"^the t-interval extends past the scale's bounds$"#, "Khoảng t vượt ra ngoài giới hạn của thang đo."),
        (#"^estimate at the scale's bound: effective sample size = respondents$"#,
         "Ước lượng nằm ở giới hạn của thang đo: cỡ mẫu hiệu dụng lấy bằng số người trả lời."),
        (#"^zero sample variance: effective sample size = respondents \(([0-9]+)\)$"#,
         "Phương sai mẫu bằng 0: cỡ mẫu hiệu dụng lấy bằng số người trả lời ($1)."),
        (#"^the file has no column for (\w+) item '(.+)'; it is not estimated$"#,
         "Tệp dữ liệu không có cột cho câu hỏi '$2': không ước lượng."),
        (#"^empty line$"#, "dòng trống"),
        (#"^excluded by where (.+)$"#, "bị loại bởi điều kiện lọc $1"),
        (#"^blank (.+) \(needed for --by\)$"#, "trống cột $1 (cần để phân nhóm)"),
        (#"^no criterion answered \(all blank, missing codes or invalid\)$"#,
         "không trả lời tiêu chí nào (tất cả để trống, mã thiếu hoặc không hợp lệ)"),
        (#"^every replicate gave the same value: the bootstrap interval has zero width$"#,
         "Mọi lần lặp bootstrap cho cùng một giá trị: khoảng bootstrap có độ rộng bằng 0."),
        (#"^([0-9]+) replicates had no estimate and were skipped$"#, "$1 lần lặp bootstrap không có ước lượng và được bỏ qua."),
    ]

    static func translate(_ note: String) -> String {
        let range = NSRange(note.startIndex..., in: note)
        for (pattern, template) in rules {
            guard let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: note, range: range) else { continue }
            var text = template
            for group in stride(from: match.numberOfRanges - 1, through: 1, by: -1) {
                guard let r = Range(match.range(at: group), in: note) else { continue }
                var value = String(note[r])
                if Double(value) != nil { value = value.replacingOccurrences(of: ".", with: ",") }
                text = text.replacingOccurrences(of: "$\(group)", with: value)
            }
            return text
        }
        return "Có một ghi chú kỹ thuật của phép tính (xem bản báo cáo tiếng Anh, --lang en)."
    }
}
