package platform_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

// quantity parses the CPU and memory quantities the platform writes
// ("250m", "4", "512Mi", "8Gi") into millicores or bytes.
func quantity(t *testing.T, s string) int64 {
	t.Helper()
	units := []struct {
		suffix string
		mult   int64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40}, {"m", 1}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			n, err := strconv.ParseInt(strings.TrimSuffix(s, u.suffix), 10, 64)
			if err != nil {
				t.Fatalf("quantity %q: %v", s, err)
			}
			return n * u.mult
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("quantity %q: %v", s, err)
	}
	return n * 1000 // whole CPUs to millicores
}

// admit applies a container LimitRange the way the API server does: it
// defaults the item, fills missing limits from default and missing requests
// from the limit or defaultRequest, then rejects requests above limits and
// limits above max.
func admit(t *testing.T, lr map[string]any, requests, limits map[string]string) (map[string]string, map[string]string, string) {
	t.Helper()
	get := func(k string) map[string]any { m, _ := lr[k].(map[string]any); return m }
	// API-server defaulting of a Container item: a max without a default
	// becomes the default, and a default without a defaultRequest becomes
	// the defaultRequest.
	def, defReq := map[string]any{}, map[string]any{}
	for k, v := range get("max") {
		def[k] = v
	}
	for k, v := range get("default") {
		def[k] = v
	}
	for k, v := range def {
		defReq[k] = v
	}
	for k, v := range get("defaultRequest") {
		defReq[k] = v
	}
	req, lim := copyMap(requests), copyMap(limits)
	for k, v := range def {
		if _, ok := lim[k]; !ok {
			lim[k] = v.(string)
		}
	}
	for k, v := range defReq {
		if _, ok := req[k]; !ok {
			if l, ok := limits[k]; ok {
				req[k] = l
			} else {
				req[k] = v.(string)
			}
		}
	}
	for k, r := range req {
		if l, ok := lim[k]; ok && quantity(t, r) > quantity(t, l) {
			return req, lim, k + " request " + r + " exceeds limit " + l
		}
	}
	for k, v := range get("max") {
		l, ok := lim[k]
		if !ok {
			return req, lim, "no " + k + " limit under a max"
		}
		if quantity(t, l) > quantity(t, v.(string)) {
			return req, lim, k + " limit " + l + " exceeds max " + v.(string)
		}
	}
	return req, lim, ""
}

func copyMap(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestLimitRangesInjectNoGPUAndAdmitAModelServer(t *testing.T) {
	containers := []struct {
		name             string
		requests, limits map[string]string
	}{
		{"model server, requests only", map[string]string{"cpu": "3", "memory": "8Gi"}, nil},
		{"12Gi model server, requests only", map[string]string{"cpu": "2", "memory": "12Gi"}, nil},
		{"training job, requests only", map[string]string{"cpu": "8", "memory": "16Gi"}, nil},
		{"model server, guaranteed", map[string]string{"cpu": "3", "memory": "8Gi"}, map[string]string{"cpu": "3", "memory": "8Gi"}},
		{"sidecar without resources", nil, nil},
		{"GPU trainer", map[string]string{"cpu": "4", "memory": "16Gi", kubenames.GPUResource: "1"}, map[string]string{"memory": "16Gi", kubenames.GPUResource: "1"}},
	}
	for _, e := range stacks(t) {
		lrs := byName(e.g, tLimitRange)
		for _, ns := range kubenames.WorkloadNamespaces() {
			r, ok := lrs[ns+"/container-defaults"]
			if !ok {
				t.Errorf("%s: no LimitRange in %s", e.name, ns)
				continue
			}
			v, _ := r.Input("spec.limits[0]")
			lr, _ := v.(map[string]any)
			for _, k := range []string{"default", "defaultRequest", "max", "min"} {
				if m, _ := lr[k].(map[string]any); m[kubenames.GPUResource] != nil {
					t.Errorf("%s/%s: LimitRange %s mentions %s", e.name, ns, k, kubenames.GPUResource)
				}
			}
			for _, c := range containers {
				t.Run(e.name+"/"+ns+"/"+c.name, func(t *testing.T) {
					req, _, why := admit(t, lr, c.requests, c.limits)
					if why != "" {
						t.Fatalf("rejected: %s", why)
					}
					if _, gpu := c.requests[kubenames.GPUResource]; !gpu && req[kubenames.GPUResource] != "" {
						t.Errorf("a CPU container was given a GPU request")
					}
				})
			}
		}
	}
}

func TestAdmitRejectsWhatItShould(t *testing.T) {
	// The admission model itself must be able to fail.
	lr := map[string]any{"default": map[string]any{"cpu": "1", "memory": "2Gi"}, "max": map[string]any{"cpu": "2"}}
	if _, _, why := admit(t, lr, map[string]string{"cpu": "3"}, nil); why == "" {
		t.Error("a 3-CPU request under a 1-CPU default limit was admitted")
	}
}

func TestQuotas(t *testing.T) {
	want := []string{"requests.cpu", "requests.memory", "limits.memory", "requests." + kubenames.GPUResource, "pods", "persistentvolumeclaims"}
	for _, e := range stacks(t) {
		qs := byName(e.g, tQuota)
		for _, ns := range kubenames.WorkloadNamespaces() {
			t.Run(e.name+"/"+ns, func(t *testing.T) {
				r, ok := qs[ns+"/workload-quota"]
				if !ok {
					t.Fatalf("no ResourceQuota in %s", ns)
				}
				hard := obj(r, "spec.hard")
				for _, k := range want {
					if hard[k] == nil {
						t.Errorf("quota lacks %s", k)
					}
				}
				if got, wantCPU := hard["requests.cpu"], e.spec.Workloads.Quota.RequestsCPU; got != wantCPU {
					t.Errorf("requests.cpu = %v, want %s for profile %s", got, wantCPU, e.spec.Profile)
				}
			})
		}
	}
}
