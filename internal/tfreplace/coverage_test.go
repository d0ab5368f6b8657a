package tfreplace_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/tfreplace"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Every AWS resource type the dev, prod and prod-variant graphs declare
// has replacement rules extracted from the vendored provider source, or
// is named in tfreplace.NotRecorded; a new type in the program fails here
// until one of the two holds it.
func TestGraphTypesAreCovered(t *testing.T) {
	tab, err := tfreplace.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	graphs := map[string]*plan.Graph{
		"dev":  stacktest.Graph(t, "dev"),
		"prod": stacktest.Graph(t, "prod"),
		"prod-variant": stacktest.Evaluate(t, "prod",
			"clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]",
			"clusterEndpointPrivateAccessSecurityGroups=["+engine.SecurityGroupID+"]",
			"nodeSsmAccess=true"),
	}
	missing := map[string]bool{}
	for _, g := range graphs {
		for _, r := range g.Resources {
			if !strings.HasPrefix(r.Type, typetoken.AWSPrefix) {
				continue
			}
			_, vendored := tab.Resources[r.Type]
			if !vendored && !tfreplace.NotRecorded[r.Type] {
				missing[r.Type] = true
			}
		}
	}
	var names []string
	for typ := range missing {
		names = append(names, typ)
	}
	sort.Strings(names)
	for _, typ := range names {
		t.Errorf("%s: neither in replaces.json nor in tfreplace.NotRecorded", typ)
	}
}

// NotRecorded names only types the table does not hold.
func TestNotRecordedIsNotInTheTable(t *testing.T) {
	tab, err := tfreplace.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for typ := range tfreplace.NotRecorded {
		if _, ok := tab.Resources[typ]; ok {
			t.Errorf("%s is in replaces.json and in NotRecorded", typ)
		}
	}
}
