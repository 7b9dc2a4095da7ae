package cen


func syntaxRules(rel string) []def { return nil }
func codeRules(rel string) []def   { return nil }
func crRules(rel string) []def     { return nil }
