package addoncheck_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/mlops-platform/mlops-platform/internal/addoncheck"
	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

type noWait struct{}

func (noWait) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// TestCheck: the release's pins pass when EKS offers them for the minor;
// a pin EKS does not list for the minor (withdrawn, or built for another
// minor) is refused with the add-on, the pin and what EKS offers; an
// add-on EKS does not know is refused with "none".
func TestCheck(t *testing.T) {
	const minor = "1.35"
	pins := spec.AddonVersions[minor]
	cases := []struct {
		name  string
		edit  func(f *awsfake.Server)
		wants []string // fragments of the error; none means it passes
	}{
		{"every pin offered", func(*awsfake.Server) {}, nil},
		{"CloudWatch build withdrawn", func(f *awsfake.Server) {
			f.SetAddonVersions("amazon-cloudwatch-observability", awsfake.AddonVersion{Version: "v6.1.0-eksbuild.1", ClusterVersions: []string{minor}})
		}, []string{"amazon-cloudwatch-observability " + pins["amazon-cloudwatch-observability"], "EKS offers for 1.35: v6.1.0-eksbuild.1"}},
		{"kube-proxy built for another minor only", func(f *awsfake.Server) {
			f.SetAddonVersions("kube-proxy", awsfake.AddonVersion{Version: pins["kube-proxy"], ClusterVersions: []string{"1.34"}})
		}, []string{"kube-proxy " + pins["kube-proxy"] + " (EKS offers for 1.35: none)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := awsfake.New()
			defer fake.Close()
			fake.OfferAddonPins(spec.AddonVersions)
			c.edit(fake)
			api := eks.NewFromConfig(fake.Config(awsclient.Options{Backoff: noWait{}}))
			err := addoncheck.Check(context.Background(), api, minor, pins)
			if len(c.wants) == 0 {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
			} else if err == nil {
				t.Fatal("Check passed")
			}
			for _, w := range c.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if n := fake.Calls("DescribeAddonVersions"); n != len(pins) {
				t.Errorf("%d DescribeAddonVersions calls, want one per add-on (%d)", n, len(pins))
			}
		})
	}
}
