extension LoadedAutomation {
    /// Reads an export within `limits` and compiles it, keeping the reader's warnings and the
    /// compiler's findings (``Automation/init(exportFile:limits:)-(String,_)`` says what is read and thrown).
    public init(exportFile path: String, limits: ExportLimits = .default) throws(LoadError) {
        try FileAccess.requireFile(
            path, "an export file (XML)",
            ifFolder: "a folder of workflow files, or the output folder of import-actions, is read with Automation(folder:) or LoadedAutomation(folder:)")
        let document: ExportDocument
        do {
            document = try ExportReader(limits: limits).read(file: path)
        } catch {
            throw LoadError(error)
        }
        let migration = LegacyCompiler.compile(document.account)
        let automation = Automation(
            workflows: migration.workflows, productOfPlan: document.account.catalogue.subscriptionPlans.mapValues(\.productID),
            account: AccountProfile(document.account))
        self.init(automation: automation, warnings: document.warnings, findings: migration.findings)
    }
}
