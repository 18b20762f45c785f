import SIPASInstrument
import SIPASModels

/// `help` and `help COMMAND`, in Vietnamese and English.
enum REPLHelp {
    /// The groups of the command list, in order, with their Vietnamese and English titles.
    static let groups: [(id: String, vi: String, en: String)] = [
        ("data", "Dữ liệu", "Data"), ("indices", "Chỉ số", "Indices"), ("comparisons", "So sánh", "Comparisons"),
        ("drivers", "Yếu tố tác động", "Drivers"), ("models", "Mô hình", "Models"), ("reports", "Báo cáo", "Reports"),
        ("sampling", "Chọn mẫu", "Sampling"), ("session", "Phiên làm việc", "Session"),
    ]

    static let entries: [(command: String, group: String, usage: String, vi: String, en: String)] = [
        ("open", "data", "open FILE [--sheet NAME|N] [--header-row N] [as NAME] · open STORE --wave W [as NAME]", "Mở tệp dữ liệu CSV, Excel (.xlsx), SPSS (.sav) hoặc Stata (.dta), hoặc một đợt trong kho dữ liệu (sipas store), và đặt tên cho nó.", "Open a CSV file, an Excel workbook (.xlsx), an SPSS (.sav) or a Stata (.dta) file, or a wave of a store (sipas store), under a name."),
        ("use", "data", "use NAME", "Chuyển sang bộ dữ liệu đã mở.", "Switch to an open dataset."),
        ("datasets", "data", "datasets", "Liệt kê các bộ dữ liệu đang mở.", "List the open datasets."),
        ("instrument", "data", "instrument NAME|FILE", "Chọn bộ câu hỏi (mẫu có sẵn hoặc tệp YAML/JSON).", "Choose the instrument (a preset or a YAML/JSON file)."),
        ("instruments", "data", "instruments", "Liệt kê các bộ câu hỏi có sẵn.", "List the preset instruments."),
        ("design", "data", "design --strata COL --cluster COL[,COL2] --weight COL --fpc COL | design FILE | design clear",
         "Khai báo thiết kế mẫu (tầng, cụm, quyền số, hiệu chỉnh tổng thể hữu hạn); các cột được kiểm tra ngay.",
         "Declare the survey design (strata, clusters, weights, FPC); its columns are checked at once."),
        ("weights", "data", "weights [--design FILE] [--output FILE] [--id COL] [--trim N]",
         "Hiệu chỉnh quyền số theo cơ cấu dân số (hậu phân tầng, raking, hiệu chỉnh tuyến tính/logit) và chẩn đoán quyền số.",
         "Calibrate the weights to population margins (post-stratify, rake, linear, raking, logit) with diagnostics."),
        ("where", "data", "where COL = VALUE [and COL >= N …] | where clear",
         "Giới hạn phân tích vào các dòng thỏa điều kiện (dòng khác vẫn nằm trong thiết kế, được đếm là loại).",
         "Restrict analyses to matching rows (others stay in the design and are counted as excluded)."),
        ("generate", "data", "generate --respondents N --output FILE", "Tạo dữ liệu khảo sát giả lập có đáp án đúng đã biết.",
         "Write synthetic survey data with a known truth."),
        ("index", "indices", "index [--by COL] [options of sipas index]", "Tính chỉ số tiêu chí, yếu tố, nội dung và SIPAS với KTC 95%.", "Criterion, factor, content and SIPAS indices with 95% CIs."),
        ("estimate", "indices", "estimate --mean COL | --total COL | --proportion COL=VALUE | --ratio Y/X [--by COL]",
         "Ước lượng trung bình, tổng, tỷ lệ, tỷ số theo thiết kế mẫu.", "Design-based means, totals, proportions and ratios."),
        ("compare", "comparisons", "compare --by COL [--previous FILE] [--pairwise] [--ranks]",
         "So sánh đơn vị với toàn tỉnh, giữa các đơn vị và với năm trước.", "Compare units with the province, each other and last year."),
        ("drivers", "drivers", "drivers [--by COL] [--priorities] [--what-if FACTOR=SCORE]",
         "Yếu tố nào tác động đến mức hài lòng chung: hồi quy theo điểm yếu tố, tỷ trọng LMG, ưu tiên cải thiện.",
         "Which factors drive overall satisfaction: factor-score regression, LMG shares, priorities."),
        ("importance", "drivers", "importance --y COL --x COL,COL[,…] [--method lmg|relweights|dominance]",
         "Tầm quan trọng tương đối của các biến giải thích (LMG, trọng số tương đối, dominance).",
         "Relative importance of predictors (LMG, relative weights, dominance)."),
        ("regress", "models", "regress --y COL --x COL,COL [--se hc3|cluster:COL]", "Hồi quy tuyến tính (LAPACK) với sai số chuẩn vững.", "Linear regression (LAPACK) with robust standard errors."),
        ("alpha", "models", "alpha --items A,B,C [--reverse A]", "Hệ số Cronbach's alpha của thang đo (theo bộ câu hỏi của phiên).", "Cronbach's alpha of a scale (read through the session's instrument)."),
        ("factors", "models", "factors --items A,B,C,… --factors K [--rotation \(FactorRotation.allCases.map(\.rawValue).joined(separator: "|"))] [--extraction pa|ml]",
         "Phân tích nhân tố khám phá (KMO, Bartlett, hệ số tải).", "Exploratory factor analysis (KMO, Bartlett, loadings)."),
        ("ologit", "models", "ologit --y COL --x COL,COL [--weight COL]", "Hồi quy logit thứ bậc (tỷ lệ odds tỷ lệ).", "Ordered logit (proportional odds) driver model."),
        ("report", "reports", "report [--by COL] [--previous FILE] --format html|md|json [--output FILE]",
         "Báo cáo kết quả khảo sát để công bố (HTML, Markdown, JSON; XLSX với --output).",
         "The publishable survey report (HTML, Markdown, JSON; XLSX with --output)."),
        ("prepare", "reports", "prepare --output FILE.sav|.zsav|.dta|.xlsx|.csv",
         "Ghi bảng người trả lời đã làm sạch: mã trả lời, điểm yếu tố, trọng số, lý do loại (kèm nhãn SPSS/Stata).",
         "Write the cleaned respondent table: answer codes, factor scores, weights, exclusion reasons (with SPSS/Stata labels)."),
        ("store", "data", "store import|list|export|drop STORE [options]",
         "Kho dữ liệu các đợt khảo sát (SQLite): nhập, liệt kê, xuất, xóa một đợt.",
         "The archive of survey waves (SQLite): import, list, export, drop a wave."),
        ("trend", "reports", "trend STORE [--waves W1,W2,…] [--index ID,…]",
         "Từng chỉ số qua các đợt trong kho, thay đổi giữa hai đợt liền nhau và kiểm định.",
         "Each index across the waves of a store, with the change from wave to wave and its test."),
        ("sample", "sampling", "sample size|allocate|select|reserve|recheck|accounting [options]",
         "Cỡ mẫu, phân bổ, chọn mẫu và danh sách dự phòng, phúc tra, tổng hợp phiếu.",
         "Sample size, allocation, selection with reserves, re-checks, the fieldwork funnel."),
        ("set", "session", "set lang vi|en · set format table|json|csv|md · set ci beta|logit|wilson|t|percentile|bca · set seed N · set timing on|off",
         "Thay đổi ngôn ngữ, định dạng, phương pháp khoảng tin cậy, hạt giống ngẫu nhiên; báo thời gian mỗi phân tích.",
         "Change language, output format, interval method, random seed; report each analysis's wall time."),
        ("let", "session", "let NAME = VALUE", "Đặt biến; dùng lại bằng $TÊN.", "Define a variable; use it as $NAME."),
        ("default", "session", "default NAME = VALUE", "Đặt biến nếu --set chưa đặt (tham số của kịch bản).", "Define a variable unless --set gave it (script parameters)."),
        ("show", "session", "show", "Xem trạng thái phiên làm việc.", "Show the session state."),
        ("export", "session", "export FILE.xlsx|.csv|.json|.md|.txt",
         "Ghi kết quả phân tích gần nhất ra tệp theo đuôi tệp: .xlsx là bảng tính Excel thật (số là số), .csv, .json, .md, .txt (hoặc thêm '> TỆP' vào cuối lệnh để ghi đúng nội dung trên màn hình).",
         "Write the last analysis result in the format the extension names: .xlsx a real Excel workbook (numbers as numbers), .csv, .json, .md, .txt (or end a command with '> FILE' for what the screen shows)."),
        ("history", "session", "history", "Liệt kê các lệnh đã chạy thành công trong phiên.", "List the commands of the session that ran without error."),
        ("save", "session", "save FILE.sipas", "Ghi các lệnh của phiên thành kịch bản; sipas run TỆP.sipas chạy lại và cho cùng kết quả.",
         "Write the session's commands as a script; sipas run FILE.sipas replays it to the same outputs."),
        ("help", "session", "help [COMMAND]", "Trợ giúp.", "Help."),
        ("quit", "session", "quit | exit", "Thoát.", "Leave."),
    ]

    /// A short example of each command on the bundled data, in the order a session would run them (after
    /// `open datasets/sipas-2024-synthetic.csv as d` and `instrument khanhhoa-admin`). Files the examples write
    /// land in the session's folder. A test runs every one of them in that order.
    static let examples: [(command: String, lines: [String])] = [
        ("open", ["open datasets/sipas-2024-synthetic.csv as d"]),
        ("use", ["use d"]),
        ("datasets", ["datasets"]),
        ("instrument", ["instrument khanhhoa-admin"]),
        ("instruments", ["instruments"]),
        ("design", ["design --strata stratum --cluster cluster --weight weight"]),
        ("weights", ["weights --design datasets/guide/thiet-ke-2024.yaml --largest 3"]),
        ("where", ["where unit_level = huyen", "where clear"]),
        ("generate", ["generate --respondents 1500 --seed 7 --output gia-lap.csv"]),
        ("index", ["index --by unit_level"]),
        ("estimate", ["estimate --mean q01 --by unit_level"]),
        ("compare", ["compare --by unit_level"]),
        ("drivers", ["drivers --priorities"]),
        ("importance", ["importance --y overall --x q01,q02,q03"]),
        ("regress", ["regress --y overall --x q01,q02 --se hc3"]),
        ("alpha", ["alpha --items q01,q02,q03,q04"]),
        ("factors", ["factors --items q01,q02,q03,q04,q05,q06 --factors 2"]),
        ("ologit", ["ologit --y overall --x q01,q02"]),
        ("report", ["report --by unit_id --format md --output bao-cao.md"]),
        ("prepare", ["prepare --output sach.csv"]),
        ("store", ["store import kho.db datasets/sipas-2024-synthetic.csv --wave 2024 -i khanhhoa-admin", "store list kho.db"]),
        ("trend", ["trend kho.db"]),
        ("sample", ["sample size --margin 3 --sd 15 --population 1500"]),
        ("set", ["set ci logit"]),
        ("let", ["let by = unit_level", "index --by $by"]),
        ("default", ["default by = unit_id"]),
        ("show", ["show"]),
        ("export", ["index --by unit_level", "export chi-so.xlsx"]),
        ("history", ["history"]),
        ("save", ["save phien.sipas"]),
        ("help", ["help index"]),
        ("quit", ["quit"]),
    ]

    /// A usage line's placeholders in Vietnamese (FILE → TỆP, COL → CỘT, …); commands, options and values stay.
    static func vietnameseUsage(_ usage: String) -> String {
        let words: [(String, String)] = [("options of sipas index", "tùy chọn của sipas index"), ("options", "tùy chọn"),
                                         ("COMMAND", "LỆNH"), ("COL2", "CỘT2"), ("FACTOR", "YẾU_TỐ"), ("SCORE", "ĐIỂM"), ("STORE", "KHO"),
                                         ("VALUE", "GIÁ_TRỊ"), ("NAME", "TÊN"), ("FILE", "TỆP"), ("COL", "CỘT"), ("ID", "MÃ")]
        var text = usage
        for (english, vietnamese) in words {
            text = text.replacingOccurrences(of: "\\b\(english)\\b", with: vietnamese, options: .regularExpression)
        }
        return text.replacingOccurrences(of: "W1,W2", with: "Đ1,Đ2").replacingOccurrences(of: "--wave W ", with: "--wave ĐỢT ")
    }

    /// Commands whose every `sipas COMMAND` option works in a session.
    static let analysisWithOptions: Set<String> = ["index", "estimate", "compare", "regress", "alpha", "factors", "ologit",
                                                   "drivers", "importance", "report", "prepare"]

    static func text(_ command: String?, language: Language) -> String {
        let vi = language == .vi
        if let command {
            let name = command == "exit" ? "quit" : command
            guard let entry = entries.first(where: { $0.command == name }) else {
                return (vi ? "Không có lệnh '\(command)'. Gõ help để xem danh sách.\n" : "No command '\(command)'. Type help for the list.\n")
            }
            var text = "\(vi ? vietnameseUsage(entry.usage) : entry.usage)\n  \(vi ? entry.vi : entry.en)\n"
            if analysisWithOptions.contains(command) || command == "sample" {
                text += vi ? "  Mọi tùy chọn của 'sipas \(command) --help' đều dùng được; dữ liệu, bộ câu hỏi, thiết kế, ngôn ngữ và định dạng lấy từ phiên. Thêm '> TỆP' để ghi kết quả ra tệp.\n"
                    : "  Every option of 'sipas \(command) --help' works; data, instrument, design, language and format come from the session. End with '> FILE' to write the output to a file.\n"
            }
            if let example = examples.first(where: { $0.command == name }) {
                text += (vi ? "  Ví dụ (trên dữ liệu kèm theo):\n" : "  Example (on the bundled data):\n") + example.lines.map { "    " + $0 + "\n" }.joined()
            }
            return text
        }
        var text = vi ? "Lệnh (gõ help LỆNH để xem chi tiết):\n" : "Commands (help COMMAND for details):\n"
        let width = entries.map(\.command.count).max() ?? 0
        for group in groups {
            text += (vi ? group.vi : group.en) + ":\n"
            for entry in entries where entry.group == group.id {
                text += "  " + entry.command + String(repeating: " ", count: width - entry.command.count + 2) + (vi ? entry.vi : entry.en) + "\n"
            }
        }
        text += vi ? "Dòng bắt đầu bằng # là chú thích. Ví dụ: open datasets/sipas-2024-synthetic.csv as d · instrument khanhhoa-admin · index --by unit_id\n"
            : "Lines starting with # are comments. Example: open datasets/sipas-2024-synthetic.csv as d · instrument khanhhoa-admin · index --by unit_id\n"
        return text
    }
}
