// Package awsapimodels holds AWS's Smithy API models: excerpts of the
// request shapes internal/awsrules checks (Files), and the operations
// internal/testing/awsfake serves with the closure of their input and
// error shapes (Operations). See README.md for provenance and refresh.sh
// for how both are extracted.
package awsapimodels

import "embed"

// Files are the excerpts, one per service, named <service>.json.
//
//go:embed *.json
var Files embed.FS

// Operations are the trimmed models of the services awsfake serves, named
// operations/<signing name>.json.
//
//go:embed operations/*.json
var Operations embed.FS
