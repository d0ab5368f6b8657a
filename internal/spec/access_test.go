package spec

import "testing"

// TestAcceptedSettings: the settings the new checks must not refuse.
func TestAcceptedSettings(t *testing.T) {
	cases := []struct {
		name  string
		stack string
		sets  []string
	}{
		{"prod reached from a VPN range instead of the bastion", "prod", []string{"bastion.enabled=false", "clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]"}},
		{"prod reached from a VPN security group", "prod", []string{"bastion.enabled=false", "clusterEndpointPrivateAccessSecurityGroups=[sg-0123456789abcdef0]"}},
		{"admin role with a path", "prod", []string{"clusterAdminPrincipals=[arn:aws:iam::123456789012:role/team/platform-admin]"}},
		{"admin user", "prod", []string{"clusterAdminPrincipals=[arn:aws:iam::123456789012:user/alice]"}},
		{"fixed deployer role", "prod", []string{"clusterDeployerPrincipal=arn:aws:iam::123456789012:role/ci/deployer"}},
		{"public documentation range", "dev", []string{"clusterEndpointPublicAccessCidrs=[198.51.100.0/24]"}},
		{"same-shape GPU alternative", "prod", []string{"nodeGroups.gpu.instanceTypes=[g5.xlarge]"}},
		{"unlisted single type outside the GPU group", "dev", []string{devCidrs, "nodeGroups.general.instanceTypes=[r6i.xlarge]"}},
		{"longest cluster name RDS and EventBridge accept", "prod", []string{"clusterName=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxy"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := resolveWith(t, tc.stack, tc.sets...); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestProfileShapesAreUniform: every default group has one shape, so the
// autoscaler's template from the first type is right for every node.
func TestProfileShapesAreUniform(t *testing.T) {
	for _, p := range []Profile{ProfileDev, ProfileProd} {
		s, _ := Defaults(p, string(p))
		for name, ng := range map[string]NodeGroup{"general": s.NodeGroups.General, "training": s.NodeGroups.Training, "gpu": s.NodeGroups.GPU} {
			if _, ok, reason := GroupShape(ng.InstanceTypes); !ok {
				t.Errorf("%s %s: %s", p, name, reason)
			}
		}
	}
}

// TestAddonTableCoversOfferedVersions: every minor EKS offers at the test
// date that the calendar knows has a reviewed row with both pinned add-ons.
func TestAddonTableCoversOfferedVersions(t *testing.T) {
	for _, v := range OfferedKubernetesVersions(testNow) {
		row, ok := AddonVersions[v]
		if !ok {
			t.Errorf("%s has no add-on row", v)
			continue
		}
		for _, name := range []string{"kube-proxy", "coredns"} {
			if row[name] == "" {
				t.Errorf("%s: no %s version", v, name)
			}
		}
		if want := "v" + v + "."; row["kube-proxy"][:len(want)] != want {
			t.Errorf("%s: kube-proxy %s is not built for this minor", v, row["kube-proxy"])
		}
	}
}
