public import PurchaseActionsCore

/// Reads exports in format v1 (Docs/export-format.md) safely and in one streaming pass.
///
/// ```swift
/// let reader = ExportReader()
/// let stream = try reader.stream(file: "Fixtures/exports/course-creator.xml")
/// while let item = try stream.next() {
///     if case .actionSet(let set) = item { print(set.id, set.actions.count) }
/// }
/// ```
///
/// - Important: Exports are untrusted. No DOCTYPE, entity, DTD, XInclude or network access is ever
///   processed; only UTF-8 and UTF-16 are read (any other encoding is refused before parsing); and
///   ``ExportLimits`` bound depth, attributes, text, size, namespaces and distinct names.
public struct ExportReader: Sendable {
    /// The limits applied to every document.
    public var limits: ExportLimits
    /// Whether to also validate against the XML Schema (`--check`).
    public var validatesSchema: Bool
    /// Inputs of at least this many bytes are parsed on a second thread while the calling thread
    /// builds the model, so two cores share a large export. The items, errors and warnings are the
    /// same either way.
    var pipelineThreshold = 4 << 20

    /// Creates a reader.
    public init(limits: ExportLimits = .default, validatesSchema: Bool = false) {
        self.limits = limits
        self.validatesSchema = validatesSchema
    }

    /// A stream over the file at `file`; the path is kept as given in every location.
    public func stream(file: String) throws(ImportError) -> ExportStream {
        try ExportStream(file: file, limits: limits, validatesSchema: validatesSchema, pipelineThreshold: pipelineThreshold, bytes: nil)
    }

    /// A stream over a document in memory; `name` appears in locations.
    public func stream(bytes: [UInt8], name: String) throws(ImportError) -> ExportStream {
        try ExportStream(file: name, limits: limits, validatesSchema: validatesSchema, pipelineThreshold: pipelineThreshold, bytes: bytes)
    }

    /// Reads a whole export into a `LegacyAccount` (PurchaseActionsCore; for exports that fit in memory).
    public func read(file: String) throws(ImportError) -> ExportDocument {
        try Self.collect(stream(file: file))
    }

    /// Reads a whole export held in memory.
    public func read(bytes: [UInt8], name: String) throws(ImportError) -> ExportDocument {
        try Self.collect(stream(bytes: bytes, name: name))
    }

    private static func collect(_ stream: ExportStream) throws(ImportError) -> ExportDocument {
        var settings: AccountSettings?
        var account = LegacyAccount(settings: AccountSettings(id: "", name: "", timezone: "", currency: "", location: FileLocation(file: "")))
        while let item = try stream.next() {
            switch item {
            case .account(let value): settings = value
            case .catalogue(let value): account.catalogue = value
            case .sequence(let value): account.sequences.append(value)
            case .actionSet(let value): account.actionSets.append(value)
            case .slot(let value): account.slots.append(value)
            case .billingRule(let value): account.billingRules.append(value)
            case .extension(let value): account.extensions.append(value)
            }
        }
        if let settings { account.settings = settings }
        return ExportDocument(account: account, warnings: stream.warnings)
    }
}

/// A whole export read into memory, with the warnings found while reading it.
public struct ExportDocument: Sendable {
    /// The account.
    public var account: LegacyAccount
    /// Warnings, in document order.
    public var warnings: [ImportWarning]
}
