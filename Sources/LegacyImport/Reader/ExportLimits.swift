/// The reader's own limits on untrusted input, each stricter than libxml2's built-in one.
///
/// - Important: Every limit applies before any value reaches the model; a document over a limit is
///   refused with the location where it went over, and nothing is half-read.
public struct ExportLimits: Hashable, Sendable {
    /// Deepest element nesting. Default 64 (libxml2: 256).
    public var maxDepth: Int
    /// Most attributes on one element. Default 32 (libxml2: no limit).
    public var maxAttributes: Int
    /// Most bytes of text in one element or attribute value. Default 1 MiB (libxml2: 10 MB).
    public var maxTextBytes: Int
    /// Most bytes in the whole document. Default 1 GiB (libxml2: no limit).
    public var maxDocumentBytes: Int
    /// Most elements in one unit (the account, a catalogue entry, a sequence, an action set, a slot, a
    /// billing rule), which is held whole while it is read. Default 100,000 (libxml2: no limit).
    public var maxUnitElements: Int
    /// Most bytes of the catalogue held for the whole read: the attribute values and text of every
    /// catalogue entry (extension elements among the entries included), plus
    /// ``catalogueElementBytes`` for each of their elements. Default 256 MiB (libxml2: no limit).
    public var maxCatalogueBytes: Int
    /// Most bytes of text and attribute values in one unit (the account, a catalogue entry, a
    /// sequence, an action set, a slot, a billing rule), which is held whole while it is read.
    /// Default 16 MiB (libxml2: no limit).
    public var maxUnitBytes: Int
    /// Most distinct namespace URIs declared in one document. Default 64 (libxml2: no limit; each new
    /// one goes into its name dictionary, whose look-ups slow down past some ten thousand entries).
    public var maxNamespaces: Int
    /// Most bytes in one namespace URI. Default 2,048 (libxml2: 10 MB, as for any attribute value).
    public var maxNamespaceBytes: Int
    /// Most distinct names in one document: element and attribute names, namespace prefixes and
    /// URIs, processing-instruction targets, each counted once however often it is used. Default
    /// 10,000 (libxml2: none, but its name dictionary makes a million distinct names take half a minute).
    public var maxNames: Int
    /// Most namespace declarations in scope at once: those on an element and on the elements it is
    /// in. Default 64 (libxml2: none, but it looks each prefix up through all of them, so 2,000 in
    /// scope make a document fifty times slower to read).
    public var maxNamespacesInScope: Int
    /// Most bytes of distinct names in one document (the same names ``maxNames`` counts, each
    /// counted once with its length). Default 1 MiB (libxml2: its name dictionary fails with "Memory
    /// allocation failed" past 10,000,000 bytes; one name is at most 50,000 characters).
    public var maxNameBytes: Int

    /// What each element of the format in the catalogue counts towards ``maxCatalogueBytes`` on top
    /// of its text, names and attribute values: about what holding it costs beyond those bytes.
    public static let catalogueElementBytes = 128

    /// What each element kept whole in the catalogue (an extension element, or an element of ours
    /// the format does not define, and everything inside them) counts towards ``maxCatalogueBytes``
    /// on top of its text, names and attribute values, measured: 20 extension elements of 99,000
    /// empty children each (a 12 MB file) took 633 MB peak, about 310 bytes an element.
    public static let catalogueExtensionElementBytes = 320

    /// Most bytes of distinct names in one document, by default: see ``maxNameBytes``.
    public static let defaultMaxNameBytes = 1 << 20

    /// The documented defaults.
    public static let `default` = ExportLimits()

    /// Creates limits; with no arguments, the defaults.
    public init(
        maxDepth: Int = 64, maxAttributes: Int = 32, maxTextBytes: Int = 1 << 20, maxDocumentBytes: Int = 1 << 30,
        maxUnitElements: Int = 100_000, maxCatalogueBytes: Int = 256 << 20, maxUnitBytes: Int = 16 << 20,
        maxNamespaces: Int = 64, maxNamespaceBytes: Int = 2048, maxNames: Int = 10_000, maxNamespacesInScope: Int = 64,
        maxNameBytes: Int = ExportLimits.defaultMaxNameBytes
    ) {
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
        self.maxTextBytes = maxTextBytes
        self.maxDocumentBytes = maxDocumentBytes
        self.maxUnitElements = maxUnitElements
        self.maxCatalogueBytes = maxCatalogueBytes
        self.maxUnitBytes = maxUnitBytes
        self.maxNamespaces = maxNamespaces
        self.maxNamespaceBytes = maxNamespaceBytes
        self.maxNames = maxNames
        self.maxNamespacesInScope = maxNamespacesInScope
        self.maxNameBytes = maxNameBytes
    }
}
