package tfcalls

import "sort"

// NotDerived names the types vendored under third_party/terraform-provider-aws
// (sources.json) whose call graph is not recorded yet, so ops.json has no
// row for them. TestVendoredTypesAreDerivedOrListed fails when a vendored
// type is in neither; the set only shrinks.
var NotDerived = map[string]bool{}

func sortStrings(s []string) { sort.Strings(s) }
