package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// ResourceDelta is the resources a change adds, changes and removes.
type ResourceDelta struct {
	Added   []ResourceChange `json:"added"`
	Changed []ResourceChange `json:"changed"`
	Removed []ResourceChange `json:"removed"`
}

// Empty reports whether no resource changes.
func (d ResourceDelta) Empty() bool {
	return len(d.Added) == 0 && len(d.Changed) == 0 && len(d.Removed) == 0
}

// ResourceChange is one resource added, changed or removed.
type ResourceChange struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Replace is set when a changed input replaces the resource (see
	// replacingInputs; the engine's preview has the last word).
	Replace bool `json:"replace,omitempty"`
	// Protected resources refuse deletion; Stateful ones hold data or keys.
	Protected bool          `json:"protected,omitempty"`
	Stateful  bool          `json:"stateful,omitempty"`
	Inputs    []InputChange `json:"inputs,omitempty"`
}

// InputChange is one changed input of a resource, as JSON text.
type InputChange struct {
	Path     string `json:"path"`
	Base     string `json:"base"`
	Head     string `json:"head"`
	Replaces bool   `json:"replaces,omitempty"`
}

// Absent stands for an input one side does not set.
const Absent = "(unset)"

// replacingInputs are, per resource type, the top-level inputs whose
// change makes AWS replace the resource, from the Terraform AWS provider's
// documentation ("Changing this forces a new resource"), the schema the
// bridged Pulumi provider takes its replacements from; names and
// identifiers replace every type (namingInputs).
var replacingInputs = map[string][]string{
	"aws:eks/nodeGroup:NodeGroup":   {"instanceTypes", "capacityType", "amiType", "diskSize", "nodeRoleArn", "subnetIds", "nodeGroupNamePrefix"},
	"aws:eks/cluster:Cluster":       {"roleArn", "encryptionConfig"},
	"aws:rds/instance:Instance":     {"engine", "dbName", "kmsKeyId", "storageEncrypted", "availabilityZone", "username"},
	"aws:ec2/subnet:Subnet":         {"cidrBlock", "availabilityZone"},
	"aws:ec2/vpc:Vpc":               {"cidrBlock"},
	"aws:kms/key:Key":               {"customerMasterKeySpec", "keyUsage"},
	"aws:ec2/natGateway:NatGateway": {"subnetId", "allocationId", "connectivityType"},
}

// namingInputs replace any resource they name.
var namingInputs = []string{"name", "namePrefix", "bucket", "bucketPrefix", "identifier", "clusterName", "nodeGroupName", "vpcId"}

func replaces(typ, input string) bool {
	return slices.Contains(namingInputs, input) || slices.Contains(replacingInputs[typ], input)
}

func compareResources(base, head *plan.Graph) ResourceDelta {
	var d ResourceDelta
	olds := map[string]plan.Resource{}
	for _, r := range base.Resources {
		olds[r.URN] = r
	}
	seen := map[string]bool{}
	for _, r := range head.Resources {
		seen[r.URN] = true
		old, ok := olds[r.URN]
		if !ok {
			d.Added = append(d.Added, change(r))
			continue
		}
		if c, changed := compareInputs(old, r); changed {
			d.Changed = append(d.Changed, c)
		}
	}
	for _, r := range base.Resources {
		if !seen[r.URN] {
			d.Removed = append(d.Removed, change(r))
		}
	}
	return d
}

func change(r plan.Resource) ResourceChange {
	return ResourceChange{URN: r.URN, Type: r.Type, Name: r.Name, Protected: r.Protect,
		Stateful: slices.Contains(deploy.StatefulTypes, r.Type)}
}

// compareInputs lists the inputs of one resource that differ, leaves of
// nested objects by dotted path, lists as a whole; inputs the resource
// ignores changes of are skipped, as the engine skips them.
func compareInputs(old, cur plan.Resource) (ResourceChange, bool) {
	c := change(cur)
	c.Protected = c.Protected || old.Protect
	a, b := map[string]string{}, map[string]string{}
	flatten("", old.Inputs, a)
	flatten("", cur.Inputs, b)
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	for p := range paths {
		top, _, _ := strings.Cut(p, ".")
		if a[p] == b[p] || slices.Contains(cur.IgnoreChanges, top) || slices.Contains(cur.IgnoreChanges, p) {
			continue
		}
		ic := InputChange{Path: p, Base: orAbsent(a[p]), Head: orAbsent(b[p]), Replaces: replaces(cur.Type, top)}
		c.Replace = c.Replace || ic.Replaces
		c.Inputs = append(c.Inputs, ic)
	}
	sort.Slice(c.Inputs, func(i, j int) bool { return c.Inputs[i].Path < c.Inputs[j].Path })
	return c, len(c.Inputs) > 0
}

func orAbsent(s string) string {
	if s == "" {
		return Absent
	}
	return s
}

func flatten(prefix string, v any, out map[string]string) {
	if m, ok := v.(map[string]any); ok && (len(m) > 0 || prefix == "") {
		for k, x := range m {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, x, out)
		}
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprint(v))
	}
	out[prefix] = string(b)
}
