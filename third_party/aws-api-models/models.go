// Package awsapimodels holds excerpts of AWS's Smithy API models: only the
// request shapes and members internal/awsrules checks. See README.md for
// provenance and refresh.sh for how they are extracted.
package awsapimodels

import "embed"

// Files are the excerpts, one per service, named <service>.json.
//
//go:embed *.json
var Files embed.FS
