package tfcalls

import "sort"

// NotDerived names the types third_party/terraform-provider-aws records
// (sources.json) whose call graph is not recorded yet, so ops.json has no
// row for them and the deployer policy's row for them is reviewed by hand.
// TestVendoredTypesAreDerivedOrListed fails when a recorded type is in
// neither; the set only shrinks.
var NotDerived = map[string]bool{}

func sortStrings(s []string) { sort.Strings(s) }
