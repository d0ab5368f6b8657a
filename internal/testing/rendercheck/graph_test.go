package rendercheck_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// kubeEffect spells the EKS API's taint effects the way Kubernetes does.
var kubeEffect = map[string]corev1.TaintEffect{"NO_SCHEDULE": corev1.TaintEffectNoSchedule, "NO_EXECUTE": corev1.TaintEffectNoExecute, "PREFER_NO_SCHEDULE": corev1.TaintEffectPreferNoSchedule}

// nodeGroups reads the labels and taints of the graph's node groups.
func nodeGroups(t *testing.T, g *plan.Graph) []rendercheck.NodeGroup {
	t.Helper()
	var out []rendercheck.NodeGroup
	for _, ng := range g.ByType(typetoken.NodeGroup) {
		grp := rendercheck.NodeGroup{Name: ng.Name, Labels: map[string]string{}}
		labels, _ := ng.Inputs["labels"].(map[string]any)
		for k, v := range labels {
			grp.Labels[k] = fmt.Sprint(v)
		}
		taints, _ := ng.Inputs["taints"].([]any)
		for _, x := range taints {
			m, _ := x.(map[string]any)
			grp.Taints = append(grp.Taints, corev1.Taint{Key: fmt.Sprint(m["key"]), Value: fmt.Sprint(m["value"]), Effect: kubeEffect[fmt.Sprint(m["effect"])]})
		}
		out = append(out, grp)
	}
	// Karpenter's NodePools: their nodes carry the template's labels and
	// taints (Kubernetes spelling).
	for _, np := range g.ByType(typetoken.NodePool) {
		grp := rendercheck.NodeGroup{Name: np.Name, Labels: map[string]string{}}
		labels, _ := np.Input("spec.template.metadata.labels")
		for k, v := range asMap(labels) {
			grp.Labels[k] = fmt.Sprint(v)
		}
		taints, _ := np.Input("spec.template.spec.taints")
		list, _ := taints.([]any)
		for _, x := range list {
			m, _ := x.(map[string]any)
			grp.Taints = append(grp.Taints, corev1.Taint{Key: fmt.Sprint(m["key"]), Value: fmt.Sprint(m["value"]), Effect: corev1.TaintEffect(fmt.Sprint(m["effect"]))})
		}
		out = append(out, grp)
	}
	if len(out) < 3 {
		t.Fatalf("%d node groups and NodePools in the graph", len(out))
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// TestRenderedPodsFitTheNodeGroups: every rendered pod template's
// nodeSelector matches some node group and its tolerations name only
// taints the node groups have.
func TestRenderedPodsFitTheNodeGroups(t *testing.T) {
	for _, r := range renderAll(t) {
		groups := nodeGroups(t, r.g)
		for _, rr := range r.releases {
			t.Run(r.stack+"/"+rr.Name, func(t *testing.T) {
				tpls, err := apiserver.PodTemplates(wrap(rr.Name, rr.Objects))
				if err != nil {
					t.Fatal(err)
				}
				for _, tpl := range tpls {
					for _, p := range rendercheck.CheckPlacement(tpl.Owner, tpl.Spec, groups) {
						t.Error(p)
					}
				}
			})
		}
	}
}

var subjectRe = regexp.MustCompile(`system:serviceaccount:([a-z0-9-]+):([a-z0-9-]+)`)

// TestIRSAServiceAccountsExist: every service account an IRSA role's trust
// policy names exists, in that namespace, with that role's ARN annotation:
// rendered by a release, declared by the program, or (aws-node, the EBS
// CSI controller, the CloudWatch agent) created by the EKS add-on given
// the role.
func TestIRSAServiceAccountsExist(t *testing.T) {
	for _, r := range renderAll(t) {
		t.Run(r.stack, func(t *testing.T) {
			annotated := map[string]string{}
			for _, o := range r.objs {
				if o.GetKind() == "ServiceAccount" {
					annotated[o.GetNamespace()+"/"+o.GetName()] = o.GetAnnotations()["eks.amazonaws.com/role-arn"]
				}
			}
			for _, rr := range r.releases {
				for _, o := range rr.Objects {
					if o.GetKind() == "ServiceAccount" {
						annotated[o.GetNamespace()+"/"+o.GetName()] = o.GetAnnotations()["eks.amazonaws.com/role-arn"]
					}
				}
			}
			addonRoles := map[string]string{}
			for _, a := range r.g.ByType(typetoken.Addon) {
				if arn, _ := a.Inputs["serviceAccountRoleArn"].(string); arn != "" {
					addonRoles[arn] = fmt.Sprint(a.Inputs["addonName"])
				}
			}
			checked := 0
			for _, role := range r.g.ByType(typetoken.Role) {
				trust, _ := role.Inputs["assumeRolePolicy"].(string)
				for _, m := range subjectRe.FindAllStringSubmatch(trust, -1) {
					sa := m[1] + "/" + m[2]
					checked++
					arnSuffix := ":role/" + role.Name
					got, ok := annotated[sa]
					switch {
					case ok && strings.HasSuffix(got, arnSuffix):
						t.Logf("%s: %s (annotated)", sa, role.Name)
					case ok:
						t.Errorf("%s exists but is annotated %q, not role %s", sa, got, role.Name)
					default:
						addon := ""
						for arn, name := range addonRoles {
							if strings.HasSuffix(arn, arnSuffix) {
								addon = name
							}
						}
						why, excepted := rendercheck.UnusedRoles[r.stack+"/"+role.Name]
						switch {
						case addon == "" && excepted:
							t.Logf("%s: %s is not used: %s", sa, role.Name, why)
						case addon == "":
							t.Errorf("role %s trusts %s, which no release renders and the program does not declare", role.Name, sa)
						case excepted:
							t.Errorf("role %s is listed as unused but the add-on %s uses it: drop the exception", role.Name, addon)
						default:
							t.Logf("%s: %s (created by the EKS add-on %s)", sa, role.Name, addon)
						}
					}
				}
			}
			if checked < 5 {
				t.Errorf("only %d trusted service accounts found in the graph", checked)
			}
		})
	}
}
