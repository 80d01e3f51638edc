import PurchaseActionsCLI

PurchaseActionsCommand.runAsMain()
