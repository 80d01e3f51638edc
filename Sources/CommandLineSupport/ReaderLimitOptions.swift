public import ArgumentParser
public import LegacyImport

/// The reader limit options every command that reads an export takes (`import-actions` and
/// `purchase-actions simulate --export`; Docs/cli.md, "Reader limits").
public struct ReaderLimitOptions: ParsableArguments {
    /// Creates the options with their defaults.
    public init() {}

    @Option(help: ArgumentHelp("Deepest element nesting allowed.", valueName: "n"))
    var maxDepth: Int = ExportLimits.default.maxDepth

    @Option(help: ArgumentHelp("Most attributes allowed on one element.", valueName: "n"))
    var maxAttributes: Int = ExportLimits.default.maxAttributes

    @Option(help: ArgumentHelp("Most bytes of text allowed in one element or attribute.", valueName: "bytes"))
    var maxTextBytes: Int = ExportLimits.default.maxTextBytes

    @Option(help: ArgumentHelp("Most bytes allowed in the whole document.", valueName: "bytes"))
    var maxDocumentBytes: Int = ExportLimits.default.maxDocumentBytes

    @Option(help: ArgumentHelp("Most elements in one action set, sequence or catalogue entry.", valueName: "n"))
    var maxUnitElements: Int = ExportLimits.default.maxUnitElements

    @Option(help: ArgumentHelp("Most bytes of text and attribute values in one action set, sequence or catalogue entry.", valueName: "bytes"))
    var maxUnitBytes: Int = ExportLimits.default.maxUnitBytes

    @Option(help: ArgumentHelp("Most bytes of catalogue entries held for the whole read.", valueName: "bytes"))
    var maxCatalogueBytes: Int = ExportLimits.default.maxCatalogueBytes

    @Option(help: ArgumentHelp("Most distinct namespace URIs in the document.", valueName: "n"))
    var maxNamespaces: Int = ExportLimits.default.maxNamespaces

    @Option(help: ArgumentHelp("Most bytes in one namespace URI.", valueName: "bytes"))
    var maxNamespaceBytes: Int = ExportLimits.default.maxNamespaceBytes

    @Option(help: ArgumentHelp("Most namespace declarations in scope at once.", valueName: "n"))
    var maxNamespacesInScope: Int = ExportLimits.default.maxNamespacesInScope

    @Option(help: ArgumentHelp("Most distinct element, attribute and namespace names in the document.", valueName: "n"))
    var maxNames: Int = ExportLimits.default.maxNames

    @Option(help: ArgumentHelp("Most bytes of distinct names in the document.", valueName: "bytes"))
    var maxNameBytes: Int = ExportLimits.default.maxNameBytes

    /// Refuses a limit below 1 (exit 64).
    public mutating func validate() throws {
        for (name, value) in [
            ("--max-depth", maxDepth), ("--max-attributes", maxAttributes), ("--max-text-bytes", maxTextBytes),
            ("--max-document-bytes", maxDocumentBytes), ("--max-unit-elements", maxUnitElements),
            ("--max-unit-bytes", maxUnitBytes), ("--max-catalogue-bytes", maxCatalogueBytes),
            ("--max-namespaces", maxNamespaces), ("--max-namespace-bytes", maxNamespaceBytes),
            ("--max-namespaces-in-scope", maxNamespacesInScope), ("--max-names", maxNames),
            ("--max-name-bytes", maxNameBytes),
        ] where value < 1 {
            throw ValidationError("\(name) must be 1 or more (got \(value)).")
        }
    }

    /// The limits as the reader takes them.
    public var limits: ExportLimits {
        ExportLimits(
            maxDepth: maxDepth, maxAttributes: maxAttributes, maxTextBytes: maxTextBytes, maxDocumentBytes: maxDocumentBytes,
            maxUnitElements: maxUnitElements, maxCatalogueBytes: maxCatalogueBytes, maxUnitBytes: maxUnitBytes,
            maxNamespaces: maxNamespaces, maxNamespaceBytes: maxNamespaceBytes, maxNames: maxNames,
            maxNamespacesInScope: maxNamespacesInScope, maxNameBytes: maxNameBytes)
    }
}
