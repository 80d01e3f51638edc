/// Feeding a ``MigrationRun`` from the export reader's stream.
extension MigrationRun {
    /// Takes one item of an ``ExportStream``: the account, the catalogue and parts outside the
    /// format prepare the run (`nil`); a sequence, action set, slot or billing rule is compiled.
    ///
    /// ```swift
    /// let stream = try ExportReader().stream(file: "export.xml")
    /// var run = MigrationRun()
    /// while let item = try stream.next() {
    ///     if let output = run.add(item) { print(output.workflow.id) }
    /// }
    /// ```
    @discardableResult
    public mutating func add(_ item: ExportItem) -> LegacyCompiler.Output? {
        switch item {
        case .account(let value): add(account: value)
        case .catalogue(let value): add(catalogue: value)
        case .extension(let part): add(extension: part)
        case .sequence(let value): return add(value)
        case .actionSet(let value): return add(value)
        case .slot(let value): return add(value)
        case .billingRule(let value): return add(value)
        }
        return nil
    }
}
