import SIPASInstrument

/// A problem with a survey store (the file, its schema, a wave), told in the user's language and naming what
/// to fix. A connection string's password never appears in one.
public struct StoreError: Error, Equatable, LocalizedFailure {
    /// The store as the user named it.
    public var store: String
    public var en: String
    public var vi: String

    public init(store: String, en: String, vi: String) {
        self.store = store; self.en = en; self.vi = vi
    }

    public var description: String { text(.en) }

    public func text(_ language: Language) -> String {
        language == .vi ? "kho \(store): \(vi)" : "store \(store): \(en)"
    }
}
