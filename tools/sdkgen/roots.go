package main

import "go/ast"

// rootCalls are the pulumi.Context methods of the functions want keeps:
// a resource's constructor and a function's plain invoke.
var rootCalls = map[string]bool{"RegisterResource": true, "RegisterPackageResource": true, "Invoke": true, "InvokePackage": true}

// callsAny reports whether the function calls a method or function named
// in calls.
func callsAny(fd *ast.FuncDecl, calls map[string]bool) bool {
	found := false
	ast.Inspect(fd, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && calls[sel.Sel.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// mentions reports whether the function's body holds the string literal.
func mentions(fd *ast.FuncDecl, lit string) bool {
	found := false
	ast.Inspect(fd, func(n ast.Node) bool {
		if b, ok := n.(*ast.BasicLit); ok && b.Value == lit {
			found = true
		}
		return !found
	})
	return found
}
