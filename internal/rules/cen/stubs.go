package cen

func crRules(rel string) []def { return nil }
