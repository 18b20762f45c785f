/// Splits a command line into words like a shell: spaces separate words, "double" and 'single' quotes keep
/// spaces, a backslash escapes the next character, `#` outside quotes starts a comment, and `$name` or
/// `${name}` outside single quotes is replaced by a variable.
enum CommandWords {
    /// Words back into a line that `split` reads as the same words (no variable is expanded again).
    static func joined(_ words: [String]) -> String {
        words.map(quoted).joined(separator: " ")
    }

    /// A word as it must be typed: bare when plain, else in double quotes with `"`, `\` and `$` escaped.
    static func quoted(_ word: String) -> String {
        if word.isEmpty { return "''" }
        let special: Set<Character> = [" ", "\t", "\"", "'", "\\", "#", "$"]
        guard word.contains(where: { special.contains($0) }) else { return word }
        var out = "\""
        for c in word {
            if c == "\"" || c == "\\" || c == "$" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    static func split(_ line: String, variables: [String: String]) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var characters = Array(line)
        var index = 0
        func substitute() throws {
            // At characters[index] == "$".
            var name = ""
            var next = index + 1
            if next < characters.count && characters[next] == "{" {
                next += 1
                while next < characters.count && characters[next] != "}" { name.append(characters[next]); next += 1 }
                guard next < characters.count else { throw OptionRefusal(vi: "thiếu dấu đóng } sau ${ trong: \(line)", en: "unclosed ${ in: \(line)") }
                next += 1
            } else {
                while next < characters.count && (characters[next].isLetter || characters[next].isNumber || characters[next] == "_") {
                    name.append(characters[next]); next += 1
                }
            }
            guard !name.isEmpty else { current.append("$"); index += 1; return }
            guard let value = variables[name] else {
                throw OptionRefusal(vi: "chưa có biến $\(name) (đặt bằng: let \(name) = …, hoặc --set \(name)=…)",
                                    en: "unknown variable $\(name) (define it with: let \(name) = …, or --set \(name)=…)")
            }
            current += value
            inWord = true
            index = next
        }
        while index < characters.count {
            let c = characters[index]
            if let q = quote {
                if c == q { quote = nil; index += 1; continue }
                if c == "\\" && q == "\"" && index + 1 < characters.count { current.append(characters[index + 1]); index += 2; continue }
                if c == "$" && q == "\"" { try substitute(); continue }
                current.append(c); index += 1; continue
            }
            switch c {
            case "\"", "'":
                quote = c; inWord = true; index += 1
            case "\\":
                if index + 1 < characters.count { current.append(characters[index + 1]); inWord = true }
                index += 2
            case "#":
                characters = Array(characters[..<index])
            case "$":
                try substitute()
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
                index += 1
            default:
                current.append(c); inWord = true; index += 1
            }
        }
        if quote != nil { throw OptionRefusal(vi: "thiếu dấu nháy đóng trong: \(line)", en: "unclosed quote in: \(line)") }
        if inWord { words.append(current) }
        return words
    }
}
