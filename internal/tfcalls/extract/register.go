package extract

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
)

// Registration is what a resource's schema.Resource registers, as
// calls/<package>.json records it: the function of each step, and whether
// (and as which resource type) the provider's tagging interceptor manages
// its tags.
type Registration struct {
	Steps map[string]string
	// Noop are the steps registered as the SDK's no-op function: they
	// make no calls.
	Noop         map[string]bool
	Tags         bool
	ResourceType string
}

// Registration returns the entry's registration, and fails on one that
// registers no create, read and delete function (or a no-op delete), or
// a tagging resource type without tags.
func (re ResourceEntry) Registration() (Registration, error) {
	r := Registration{Steps: map[string]string{}, Noop: map[string]bool{tfcalls.Delete: re.DeleteNoop}, Tags: re.Tags, ResourceType: re.TagsResourceType}
	for step, fn := range map[string]string{tfcalls.Create: re.Create, tfcalls.Read: re.Read, tfcalls.Update: re.Update, tfcalls.Delete: re.Delete} {
		if fn != "" {
			r.Steps[step] = fn
		}
	}
	if re.DeleteNoop && re.Delete != "" {
		return r, fmt.Errorf("%s: records both a delete function (%s) and a no-op delete", re.Token, re.Delete)
	}
	if re.Create == "" || re.Read == "" || (re.Delete == "" && !re.DeleteNoop) {
		return r, fmt.Errorf("%s: records no create, read and delete functions (%v)", re.Token, r.Steps)
	}
	if re.TagsResourceType != "" && !re.Tags {
		return r, fmt.Errorf("%s: a tagging resource type (%s) but no tags", re.Token, re.TagsResourceType)
	}
	return r, nil
}
