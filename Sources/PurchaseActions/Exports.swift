// One `import PurchaseActions` gives an app the model, the export reader and the engine.
@_exported public import LegacyImport
@_exported public import PurchaseActionsCore
@_exported public import PurchaseActionsEngine
