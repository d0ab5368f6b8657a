package policy

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// karpenterMutations break the node controls on the Karpenter NodePools
// and EC2NodeClasses, each as the node groups' were broken.
func karpenterMutations() []mutation {
	class := func(v any, path ...string) func(*testing.T, map[string]any) {
		return setInput(typetoken.EC2NodeClass, "platform-nodeclass-gpu", v, append([]string{"spec"}, path...)...)
	}
	pool := func(name string, v any, path ...string) func(*testing.T, map[string]any) {
		return setInput(typetoken.NodePool, "platform-nodepool-"+name, v, append([]string{"spec"}, path...)...)
	}
	ebs := func(key string, v any) func(*testing.T, map[string]any) {
		return func(t *testing.T, d map[string]any) {
			spec := inputs(t, d, typetoken.EC2NodeClass, "platform-nodeclass-training")["spec"].(map[string]any)
			spec["blockDeviceMappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any)[key] = v
		}
	}
	return []mutation{
		{"class selects a subnet by ID", "14", class([]any{map[string]any{"id": "subnet-0123456789abcdef0"}}, "subnetSelectorTerms")},
		{"discovery tag on a public subnet", "14", func(t *testing.T, d map[string]any) {
			tag := resource(t, d, typetoken.EC2Tag, "karpenter-discovery-subnet-0")
			tag["dependencies"] = append(tag["dependencies"].([]any), urnOf(t, d, tSubnet, "network-public-eu-west-1a"))
		}},
		{"class allows IMDSv1", "15", class("optional", "metadataOptions", "httpTokens")},
		{"class hop limit 2", "16", class(2, "metadataOptions", "httpPutResponseHopLimit")},
		{"class volume unencrypted", "17", ebs("encrypted", false)},
		{"class volume on the AWS managed key", "17", ebs("kmsKeyID", "alias/aws/ebs")},
		{"class volume gp2", "17", ebs("volumeType", "gp2")},
		{"class public IP", "20", class(true, "associatePublicIPAddress")},
		{"gpu pool spot only", "21", pool("gpu", []any{map[string]any{"key": "karpenter.sh/capacity-type", "operator": "In", "values": []any{"spot"}}}, "template", "spec", "requirements")},
		{"training pool without limits", "21", pool("training", map[string]any{}, "limits")},
		{"gpu pool untainted", "21", pool("gpu", []any{}, "template", "spec", "taints")},
	}
}
