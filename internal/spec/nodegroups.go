package spec

import (
	"fmt"
	"strings"
)

// NodeGroupNames are the managed node groups' names, as config keys
// (nodeGroups.<name>) spell them.
var NodeGroupNames = []string{"general", "training", "gpu"}

// ByName returns the node group a config key names.
func (n *NodeGroups) ByName(name string) (*NodeGroup, error) {
	switch name {
	case "general":
		return &n.General, nil
	case "training":
		return &n.Training, nil
	case "gpu":
		return &n.GPU, nil
	}
	return nil, fmt.Errorf("nodeGroups.%s: no such node group (one of %s)", name, strings.Join(NodeGroupNames, ", "))
}
