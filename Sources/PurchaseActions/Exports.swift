// One `import PurchaseActions` gives an app the model, the export reader, the engine and dunning.
@_exported public import LegacyImport
@_exported public import PurchaseActionsCore
@_exported public import PurchaseActionsEngine
@_exported public import PurchaseActionsDunning
