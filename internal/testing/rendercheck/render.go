// Package rendercheck renders the platform's Helm releases with the real
// Helm CLI (`helm template`), from the repository's copy of the pinned
// charts and with the values the program computes, and reads the
// manifests back as objects for the API server harness (internal/testing/apiserver) to
// judge.
package rendercheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

// HelmVersion is the Helm CLI built from tools/helm (its go.mod pins it).
const HelmVersion = "v3.20.2"

// EnvHelm names a Helm binary to use instead of the cached build.
const EnvHelm = "MLOPS_HELM"

// CachedHelm is where .ci/build-tools.sh builds Helm.
func CachedHelm() string {
	return filepath.Join(testtools.CacheDir(), "helm-"+HelmVersion)
}

// FindHelm locates the Helm binary: $MLOPS_HELM, the cache, then PATH.
func FindHelm() (string, error) {
	p, err := testtools.Find(EnvHelm, CachedHelm(), "helm")
	if err != nil {
		return "", fmt.Errorf("helm %s: %w (build it with .ci/build-tools.sh)", HelmVersion, err)
	}
	return p, nil
}

// Release is one Helm release as the evaluated graph declares it.
type Release struct {
	Name, Chart, Version, Namespace string
	Values                          map[string]any
}

// Releases reads the graph's Helm releases (evaluate the program with
// charts.source=local so that Chart is a chart directory).
func Releases(g *plan.Graph) ([]Release, error) {
	var out []Release
	for _, r := range g.HelmReleases() {
		rel := Release{Name: r.Name, Chart: r.Chart, Version: r.Version, Namespace: r.Namespace, Values: r.Values()}
		if st, err := os.Stat(rel.Chart); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("release %s: chart %q is not a local directory (evaluate with charts.source=local)", rel.Name, rel.Chart)
		}
		out = append(out, rel)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Options are the cluster facts `helm template` renders against.
type Options struct {
	// KubeVersion is the cluster's version, such as v1.35.0.
	KubeVersion string
	// APIVersions are API groups/versions (and group/version/Kind) the
	// cluster serves besides the built-in ones: the CRDs the platform
	// installs, which charts test with .Capabilities.APIVersions.Has.
	APIVersions []string
}

// Render runs `helm template` for r (CRDs and hooks included, test hooks
// left out, as an install applies them) and returns its objects.
func Render(ctx context.Context, helm string, r Release, opt Options) ([]*unstructured.Unstructured, error) {
	vals, err := json.Marshal(r.Values)
	if err != nil {
		return nil, fmt.Errorf("release %s: encoding values: %w", r.Name, err)
	}
	f, err := os.CreateTemp("", "values-*.json")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.Remove(f.Name()) }()
	if _, err := f.Write(vals); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	args := []string{"template", r.Name, r.Chart, "--namespace", r.Namespace, "--values", f.Name(), "--include-crds", "--kube-version", opt.KubeVersion}
	for _, v := range opt.APIVersions {
		args = append(args, "--api-versions", v)
	}
	cmd := exec.CommandContext(ctx, helm, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("helm template %s (%s %s): %w: %s", r.Name, filepath.Base(r.Chart), r.Version, err, strings.TrimSpace(stderr.String()))
	}
	objs, err := Decode(&stdout)
	if err != nil {
		return nil, fmt.Errorf("release %s: %w", r.Name, err)
	}
	var out []*unstructured.Unstructured
	for _, o := range objs {
		if hook := o.GetAnnotations()["helm.sh/hook"]; hook == "test" || hook == "test-success" {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// SetNamespaces gives every namespaced object without a namespace ns, as
// Helm's install does; clusterScoped are the kinds without a namespace
// (ClusterScopedKinds).
func SetNamespaces(objs []*unstructured.Unstructured, ns string, clusterScoped map[string]bool) {
	for _, o := range objs {
		if o.GetNamespace() == "" && !clusterScoped[o.GetKind()] {
			o.SetNamespace(ns)
		}
	}
}

// Decode reads a multi-document YAML stream of Kubernetes objects; a List
// (as some charts render) yields its items, as kubectl and Helm apply them.
func Decode(r io.Reader) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(r, 4096)
	var out []*unstructured.Unstructured
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("decoding rendered manifests: %w", err)
		}
		if len(m) == 0 {
			continue
		}
		if m["kind"] == "List" {
			items, _ := m["items"].([]any)
			for _, it := range items {
				if im, ok := it.(map[string]any); ok {
					out = append(out, &unstructured.Unstructured{Object: im})
				}
			}
			continue
		}
		out = append(out, &unstructured.Unstructured{Object: m})
	}
}

// builtinClusterScoped are the built-in kinds without a namespace that
// charts render.
var builtinClusterScoped = []string{
	"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
	"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
	"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
	"StorageClass", "PriorityClass", "IngressClass", "APIService", "PersistentVolume",
	"RuntimeClass", "CSIDriver",
}

// ClusterScopedKinds are the built-in cluster-scoped kinds plus those of
// the CRDs among objs whose scope is Cluster.
func ClusterScopedKinds(objs []*unstructured.Unstructured) map[string]bool {
	out := map[string]bool{}
	for _, k := range builtinClusterScoped {
		out[k] = true
	}
	for _, o := range objs {
		if o.GetKind() != "CustomResourceDefinition" {
			continue
		}
		scope, _, _ := unstructured.NestedString(o.Object, "spec", "scope")
		kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
		if scope == "Cluster" {
			out[kind] = true
		}
	}
	return out
}
