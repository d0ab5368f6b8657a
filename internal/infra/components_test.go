package infra_test

import (
	"regexp"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

var componentToken = regexp.MustCompile(`^mlops:[a-z]+:[A-Z][A-Za-z]+$`)

// TestEveryResourceBelongsToAComponent keeps the graph readable: each
// resource sits under the component of its concern, named mlops:<pkg>:<Type>.
func TestEveryResourceBelongsToAComponent(t *testing.T) {
	for _, stack := range both {
		g := stacktest.Graph(t, stack)
		for _, r := range g.Resources {
			if !r.Custom {
				if !componentToken.MatchString(r.Type) {
					t.Errorf("%s: component type %q is not mlops:<package>:<Type>", stack, r.Type)
				}
				continue
			}
			if r.Type == tProvider || r.Type == typetoken.ProviderKubernetes {
				continue
			}
			if g.Component(r) == "" {
				t.Errorf("%s: %s has no component parent", stack, r.URN)
			}
		}
	}
}
