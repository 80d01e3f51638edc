import ImportActionsCLI

ImportActions.runAsMain()
