package infra_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestNodesWaitForTheVpcCni (review N13): every node group depends on the
// vpc-cni add-on, so the first nodes' aws-node runs with the CNI's IRSA
// role; and each add-on that takes an IRSA role with only managed policies
// waits for those attachments, not only for the role.
func TestNodesWaitForTheVpcCni(t *testing.T) {
	for _, stack := range both {
		t.Run(stack, func(t *testing.T) {
			g := stacktest.Graph(t, stack)
			cni, err := stacktest.Named(g, tAddon, "addons-vpc-cni")
			if err != nil {
				t.Fatal(err)
			}
			groups := g.ByType(tNodeGroup)
			if len(groups) == 0 {
				t.Fatal("no node groups")
			}
			for _, ng := range groups {
				if !slices.Contains(ng.Dependencies, cni.URN) {
					t.Errorf("node group %s does not wait for the vpc-cni add-on: %v", ng.Name, ng.Dependencies)
				}
			}
			for _, c := range []struct{ addon, attachment string }{
				{"addons-vpc-cni", "irsa-vpc-cni-AmazonEKS_CNI_Policy"},
				{"addons-aws-ebs-csi-driver", "irsa-ebs-csi-AmazonEBSCSIDriverPolicy"},
			} {
				ad, err := stacktest.Named(g, tAddon, c.addon)
				if err != nil {
					t.Fatal(err)
				}
				att, err := stacktest.Named(g, typetoken.RolePolicyAttachment, c.attachment)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Contains(ad.Dependencies, att.URN) {
					t.Errorf("%s does not wait for %s: %s", c.addon, c.attachment, deps(ad))
				}
			}
		})
	}
}

func deps(r plan.Resource) string { return strings.Join(r.Dependencies, ", ") }

// TestScaleDeploySendsDesiredSize (review #20): deploys leave a live
// group's desiredSize to the autoscaler, except one with
// applyDesiredSize, which sends the spec's desired size with the new
// minimum, as EKS requires desiredSize >= minSize in one update.
func TestScaleDeploySendsDesiredSize(t *testing.T) {
	ignored := func(r plan.Resource) bool { return slices.Contains(r.IgnoreChanges, "scalingConfig.desiredSize") }
	g := stacktest.Graph(t, "prod")
	general, err := stacktest.Named(g, tNodeGroup, "nodes-general")
	if err != nil {
		t.Fatal(err)
	}
	if !ignored(general) {
		t.Errorf("a plain deploy sends desiredSize (ignoreChanges %v)", general.IgnoreChanges)
	}
	scaled := stacktest.Evaluate(t, "prod", "nodeGroups.general.minSize=4", "nodeGroups.general.desiredSize=4",
		"nodeGroups.general.applyDesiredSize=true")
	for _, ng := range scaled.ByType(tNodeGroup) {
		want := ng.Name != "nodes-general"
		if ignored(ng) != want {
			t.Errorf("%s ignores desiredSize: %v, want %v", ng.Name, ignored(ng), want)
		}
	}
	ng, _ := stacktest.Named(scaled, tNodeGroup, "nodes-general")
	if v, _ := ng.Input("scalingConfig.desiredSize"); fmt.Sprint(v) != "4" {
		t.Errorf("scalingConfig.desiredSize = %v, want 4", v)
	}
}

// TestOldParameterGroupOutlivesAMajorUpgrade (review N16): changing the
// PostgreSQL major replaces the parameter group (its family changes), and
// the engine must not delete the old one, which the instance keeps until
// prod's maintenance window applies the upgrade.
func TestOldParameterGroupOutlivesAMajorUpgrade(t *testing.T) {
	before, err := stacktest.Named(stacktest.Graph(t, "prod"), typetoken.DBParameterGroup, "database-params")
	if err != nil {
		t.Fatal(err)
	}
	after, err := stacktest.Named(stacktest.Evaluate(t, "prod", "database.engineVersion=16"), typetoken.DBParameterGroup, "database-params")
	if err != nil {
		t.Fatal(err)
	}
	if before.Inputs["family"] == after.Inputs["family"] {
		t.Fatalf("family %v did not change with the major version", after.Inputs["family"])
	}
	if !before.RetainOnDelete || !after.RetainOnDelete {
		t.Error("the parameter group is deleted when replaced; the instance still uses it until the upgrade applies")
	}
}

// TestCreatorAdminSettingNeverReplacesTheCluster (review N14): the
// creator-admin bootstrap setting is create-only, so a cluster created
// while the program said true must not be planned for replacement; new
// clusters are still created with false.
func TestCreatorAdminSettingNeverReplacesTheCluster(t *testing.T) {
	c := stacktest.One(t, stacktest.Graph(t, "prod"), tCluster)
	if !slices.Contains(c.IgnoreChanges, "accessConfig.bootstrapClusterCreatorAdminPermissions") {
		t.Errorf("ignoreChanges %v: a change of the setting would replace the cluster", c.IgnoreChanges)
	}
	if err := expect(c, "accessConfig.bootstrapClusterCreatorAdminPermissions", false); err != nil {
		t.Error(err)
	}
}
