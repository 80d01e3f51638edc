let exportSchemaText = ""
