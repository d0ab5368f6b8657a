package main

import (
	"go/ast"
	"strconv"
)

// pruneConstruct drops the cases of a module's Construct switch for
// resources not wanted, so that the module's rehydration table does not
// keep every resource of the module.
func pruneConstruct(m *ast.FuncDecl, tokens map[string]bool) {
	ast.Inspect(m, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok {
			return true
		}
		var kept []ast.Stmt
		for _, s := range sw.Body.List {
			cc := s.(*ast.CaseClause)
			if len(cc.List) == 0 || caseWanted(cc, tokens) {
				kept = append(kept, s)
			}
		}
		sw.Body.List = kept
		return false
	})
	dropAfterDefaultOnlySwitch(m)
}

// dropAfterDefaultOnlySwitch ends a Construct whose switch kept only its
// default clause (a module none of whose resources is wanted, kept for an
// invoke): the default returns, so what followed the switch would be
// unreachable code, which go vet refuses.
func dropAfterDefaultOnlySwitch(m *ast.FuncDecl) {
	for i, s := range m.Body.List {
		sw, ok := s.(*ast.SwitchStmt)
		if !ok {
			continue
		}
		if len(sw.Body.List) == 1 && len(sw.Body.List[0].(*ast.CaseClause).List) == 0 {
			m.Body.List = m.Body.List[:i+1]
		}
		return
	}
}

func caseWanted(cc *ast.CaseClause, tokens map[string]bool) bool {
	for _, e := range cc.List {
		if b, ok := e.(*ast.BasicLit); ok {
			if s, _ := strconv.Unquote(b.Value); tokens[s] {
				return true
			}
		}
	}
	return false
}
