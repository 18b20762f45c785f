import Foundation

/// Alphabetical order for Vietnamese names ("xếp theo vần abc"), independent of NFC/NFD and of the locale.
///
/// Rule (a three-level comparison, like the Unicode Collation Algorithm with the Vietnamese tailoring of CLDR):
/// 1. Letters, case-folded, in the Vietnamese alphabet order a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
///    v x y (other letters by code point). The five tone marks are ignored at this level; a space sorts before
///    every letter, so "An Bình" comes before "Anh"; digits and other characters sort by code point, before
///    letters.
/// 2. Tones, compared letter by letter: none < huyền (à) < hỏi (ả) < ngã (ã) < sắc (á) < nặng (ạ) — the
///    dictionary order of Vietnamese.
/// 3. Case: lowercase before uppercase; then the NFC text by code point.
/// Rows still equal keep their frame order (the sort is stable), so the result never depends on the machine.
///
/// Source: seed 001, III.1.b Step 1 ("phải được xếp theo vần abc"); seed 000 §7.1 ("theo vần abc"); CLDR
/// collation for `vi`.
public enum VietnameseCollation {
    /// A precomputed sort key; compare keys with `<`.
    public struct Key: Comparable, Sendable {
        var letters: [UInt32]
        var tones: [UInt8]
        var cases: [UInt8]
        var text: [UInt32]

        public static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.letters != rhs.letters { return lhs.letters.lexicographicallyPrecedes(rhs.letters) }
            if lhs.tones != rhs.tones { return lhs.tones.lexicographicallyPrecedes(rhs.tones) }
            if lhs.cases != rhs.cases { return lhs.cases.lexicographicallyPrecedes(rhs.cases) }
            return lhs.text.lexicographicallyPrecedes(rhs.text)
        }
    }

    /// The sort key of `text`.
    public static func key(_ text: String) -> Key {
        var key = Key(letters: [], tones: [], cases: [], text: text.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value))
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for character in trimmed.decomposedStringWithCanonicalMapping {
            let scalars = Array(character.unicodeScalars)
            guard let base = scalars.first else { continue }
            var letter = base
            var modifier: UInt32 = 0
            var tone: UInt8 = 0
            for mark in scalars.dropFirst() {
                switch mark.value {
                case 0x0306: modifier = 1  // breve: ă
                case 0x0302: modifier = 2  // circumflex: â ê ô
                case 0x031B: modifier = 3  // horn: ơ ư
                case 0x0300: tone = 1  // huyền
                case 0x0309: tone = 2  // hỏi
                case 0x0303: tone = 3  // ngã
                case 0x0301: tone = 4  // sắc
                case 0x0323: tone = 5  // nặng
                default: break
                }
            }
            let isUpper = base.properties.isUppercase
            if base.value == 0x0110 || base.value == 0x0111 {  // Đ đ: a letter of its own after d
                letter = "d"; modifier = 1
            }
            let lower = letter.properties.lowercaseMapping.unicodeScalars.first ?? letter
            let primary: UInt32
            if base.properties.isWhitespace {
                primary = 0
            } else if lower.properties.isAlphabetic {
                primary = 0x1000 + lower.value * 4 + modifier  // letters after digits and punctuation
            } else {
                primary = 1 + min(lower.value, 0xFFE)
            }
            if primary == 0, key.letters.last == 0 { continue }  // runs of spaces count once
            key.letters.append(primary)
            key.tones.append(tone)
            key.cases.append(isUpper ? 1 : 0)
        }
        return key
    }

    /// Whether `a` sorts before `b`.
    public static func precedes(_ a: String, _ b: String) -> Bool { key(a) < key(b) }

    /// The row indices of `rows` in alphabetical order of their keys (several columns compared in turn); a
    /// stable sort, so equal rows keep their order.
    public static func sortedIndices(_ rows: [[String]]) -> [Int] {
        let keys = rows.map { $0.map(key) }
        return rows.indices.sorted { a, b in
            for (x, y) in zip(keys[a], keys[b]) where x != y { return x < y }
            return a < b
        }
    }

    /// "Nguyễn Văn An" → "An Nguyễn Văn": the given name (last word) first, the way Vietnamese class and
    /// voter lists are alphabetized ("theo tên").
    public static func givenNameFirst(_ name: String) -> String {
        let words = name.split(whereSeparator: \.isWhitespace)
        guard let last = words.last, words.count > 1 else { return name }
        return ([last] + words.dropLast()).joined(separator: " ")
    }
}
