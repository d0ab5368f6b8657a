package platform_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestAlertDestinations: by default Alertmanager publishes to the
// platform's topic with its IRSA role; with alerting.webhookSecret it
// reads the webhook URL from that Secret, mounted, so no URL and no role
// reach the values, and the platform declares no topic.
func TestAlertDestinations(t *testing.T) {
	for _, c := range []struct {
		name    string
		sets    []string
		webhook bool
		topics  int
	}{
		{"own topic", nil, false, 1},
		{"operator's topic", []string{"alerting.snsTopicArn=arn:aws:sns:eu-west-1:123456789012:oncall"}, false, 0},
		{"webhook", []string{"alerting.webhookSecret=alert-hook"}, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := stacktest.Source("prod", c.sets...).Evaluate(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n := len(r.Graph.ByType(typetoken.SNSTopic)); n != c.topics {
				t.Errorf("%d SNS topics declared, want %d", n, c.topics)
			}
			v := values(releases(t, r.Graph)["kube-prometheus-stack"])
			role, _ := lookup(v, "alertmanager.serviceAccount.annotations")
			secrets, _ := lookup(v, "alertmanager.alertmanagerSpec.secrets")
			receivers, _ := lookup(v, "alertmanager.config.receivers")
			got, _ := json.Marshal(receivers)
			switch {
			case c.webhook:
				if role != nil || !strings.Contains(string(got), `"url_file":"/etc/alertmanager/secrets/alert-hook/url"`) || strings.Contains(string(got), "sns_configs") {
					t.Errorf("webhook: receivers %s, role annotations %v", got, role)
				}
				if l, _ := secrets.([]any); len(l) != 1 || l[0] != "alert-hook" {
					t.Errorf("the webhook Secret is not mounted: secrets = %v", secrets)
				}
			default:
				if role == nil || !strings.Contains(string(got), `"sns_configs"`) || !strings.Contains(string(got), `"region":"eu-west-1"`) {
					t.Errorf("SNS: receivers %s, role annotations %v", got, role)
				}
				if c.topics == 0 && !strings.Contains(string(got), "arn:aws:sns:eu-west-1:123456789012:oncall") {
					t.Errorf("the operator's topic is not the destination: %s", got)
				}
			}
		})
	}
}
