package rendercheck_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// amConfig is the part of Alertmanager's configuration file the test
// reads.
type amConfig struct {
	Route struct {
		Receiver string `yaml:"receiver"`
		Routes   []struct {
			Receiver string   `yaml:"receiver"`
			Matchers []string `yaml:"matchers"`
		} `yaml:"routes"`
	} `yaml:"route"`
	Receivers []struct {
		Name  string           `yaml:"name"`
		SNS   []map[string]any `yaml:"sns_configs"`
		Hooks []map[string]any `yaml:"webhook_configs"`
	} `yaml:"receivers"`
	InhibitRules []map[string]any `yaml:"inhibit_rules"`
}

// renderedAlertmanagerConfig decodes alertmanager.yaml from the Secret the
// chart renders for the operator.
func renderedAlertmanagerConfig(t *testing.T, r *rendered) amConfig {
	t.Helper()
	for _, rr := range r.releases {
		for _, o := range rr.Objects {
			if o.GetKind() != "Secret" || !strings.HasPrefix(o.GetName(), "alertmanager-") {
				continue
			}
			enc, _, _ := unstructured.NestedString(o.Object, "data", "alertmanager.yaml")
			raw, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				t.Fatalf("%s: %v", o.GetName(), err)
			}
			var c amConfig
			if err := yaml.Unmarshal(raw, &c); err != nil {
				t.Fatalf("%s: %v", o.GetName(), err)
			}
			return c
		}
	}
	t.Fatal("no Alertmanager configuration Secret rendered")
	return amConfig{}
}

// TestAlertmanagerSendsAlertsSomewhere: the rendered Alertmanager
// configuration routes every alert to a receiver that sends it (SNS by
// default: the stack's topic, signed with SigV4 in its region), and only
// Watchdog and InfoInhibitor, which fire by design, to one that drops them.
func TestAlertmanagerSendsAlertsSomewhere(t *testing.T) {
	for _, r := range renderAll(t) {
		t.Run(r.stack, func(t *testing.T) {
			c := renderedAlertmanagerConfig(t, r)
			sends := map[string]bool{}
			for _, rc := range c.Receivers {
				sends[rc.Name] = len(rc.SNS)+len(rc.Hooks) > 0
				for _, s := range rc.SNS {
					region, _ := s["sigv4"].(map[string]any)["region"].(string)
					topic := fmt.Sprint(s["topic_arn"])
					if !strings.HasPrefix(topic, "arn:") || !strings.Contains(topic, ":sns:"+region+":") {
						t.Errorf("receiver %s publishes to %q signed for region %q", rc.Name, topic, region)
					}
				}
			}
			if !sends[c.Route.Receiver] {
				t.Errorf("the default route's receiver %q sends nothing: alerts are dropped", c.Route.Receiver)
			}
			dropped := map[string]bool{}
			for _, rt := range c.Route.Routes {
				for _, m := range rt.Matchers {
					name := strings.Trim(strings.TrimSpace(strings.TrimPrefix(m, "alertname =")), `"`)
					if !sends[rt.Receiver] {
						dropped[name] = true
					}
				}
			}
			for _, a := range []string{"Watchdog", "InfoInhibitor"} {
				if !dropped[a] {
					t.Errorf("%s fires by design and is not routed to a receiver that drops it", a)
				}
			}
			if len(dropped) != 2 {
				t.Errorf("dropped alerts %v, want only Watchdog and InfoInhibitor", dropped)
			}
			if len(c.InhibitRules) == 0 {
				t.Error("the chart's inhibit rules (InfoInhibitor's among them) are gone")
			}
			topics := 0
			for _, res := range r.g.ByType(typetoken.SNSTopic) {
				if res.Inputs["kmsMasterKeyId"] == nil {
					t.Errorf("topic %s is not encrypted with a KMS key", res.Name)
				}
				topics++
			}
			if topics != 1 {
				t.Errorf("%d SNS topics in the graph, want the platform's alert topic", topics)
			}
		})
	}
}
