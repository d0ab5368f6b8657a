// Package codeshape holds tests of the module's shape rather than its
// behaviour: file and function sizes, and that every table and JSON
// report is printed by internal/output. It has no code of its own.
package codeshape
