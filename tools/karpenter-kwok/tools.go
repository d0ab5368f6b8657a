//go:build tools

// Package tools pins sigs.k8s.io/karpenter; build its kwok provider with
// go build sigs.k8s.io/karpenter/kwok.
package tools

import _ "sigs.k8s.io/karpenter/kwok"
