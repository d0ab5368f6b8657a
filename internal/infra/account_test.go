package infra_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/encryption"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

const tSLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole"

// TestAutoScalingRoleOnlyWhereAbsent evaluates prod in an account that has
// the Auto Scaling service-linked role and in one that has never used Auto
// Scaling: only the second declares the role, and the data key waits for it.
func TestAutoScalingRoleOnlyWhereAbsent(t *testing.T) {
	r, err := stacktest.Source("prod").Resolve()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		opts  []engine.Option
		wantN int
	}{
		{"account with the role", nil, 0},
		{"fresh account", []engine.Option{engine.FreshAccount()}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := r.Evaluate(context.Background(), c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			g := res.Graph
			roles := g.ByType(tSLR)
			if len(roles) != c.wantN {
				t.Fatalf("%d service-linked roles declared, want %d", len(roles), c.wantN)
			}
			if c.wantN == 0 {
				return
			}
			if roles[0].Inputs["awsServiceName"] != encryption.AutoScalingService {
				t.Errorf("service-linked role for %v", roles[0].Inputs["awsServiceName"])
			}
			key, err := stacktest.Named(g, tKey, "keys-data")
			if err != nil {
				t.Fatal(err)
			}
			if !contains(key.Dependencies, roles[0].URN) {
				t.Errorf("the data key does not wait for the service-linked role: depends on %v", key.Dependencies)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// TestEBSEncryptionByDefault: control 18 in prod with the data key, and
// nothing account-wide in dev (refused there: the setting is one per account
// and region) or when a shared account opts out.
func TestEBSEncryptionByDefault(t *testing.T) {
	for _, c := range []struct {
		stack string
		sets  []string
		want  bool
	}{
		{"dev", nil, false},
		{"prod", nil, true},
		{"prod", []string{"accountEbsEncryptionByDefault=false"}, false},
	} {
		t.Run(fmt.Sprint(c.stack, c.sets), func(t *testing.T) {
			g := stacktest.Evaluate(t, c.stack, c.sets...)
			enc := g.ByType("aws:ebs/encryptionByDefault:EncryptionByDefault")
			keys := g.ByType("aws:ebs/defaultKmsKey:DefaultKmsKey")
			if !c.want {
				if len(enc)+len(keys) != 0 {
					t.Errorf("opted out, yet %d account EBS settings declared", len(enc)+len(keys))
				}
				return
			}
			if len(enc) != 1 || enc[0].Inputs["enabled"] != true {
				t.Fatalf("EBS encryption by default: %v", enc)
			}
			data, err := stacktest.Named(g, tKey, "keys-data")
			if err != nil {
				t.Fatal(err)
			}
			want := "arn:aws:kms:eu-west-1:" + engine.AccountID + ":key/" + data.ID
			if len(keys) != 1 || keys[0].Inputs["keyArn"] != want {
				t.Errorf("default EBS key %v, want the data key %s", keys, want)
			}
		})
	}
}

// TestServiceRoleTrustIsScopedToThisAccount evaluates the trust of the
// roles AWS services assume: VPC Flow Logs for this account's flow logs
// only, RDS enhanced monitoring for this account's MLflow instance only
// (review #23 and N12).
func TestServiceRoleTrustIsScopedToThisAccount(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	acct := engine.AccountID
	for _, r := range []struct {
		role, own, foreign, otherOwn string
	}{
		{"logs-flow-logs", "arn:aws:ec2:eu-west-1:" + acct + ":vpc-flow-log/fl-0123",
			"arn:aws:ec2:eu-west-1:999988887777:vpc-flow-log/fl-1", ""},
		{"database-monitoring", "arn:aws:rds:eu-west-1:" + acct + ":db:mlops-platform-prod-mlflow",
			"arn:aws:rds:eu-west-1:999988887777:db:mlops-platform-prod-mlflow", "arn:aws:rds:eu-west-1:" + acct + ":db:another-db"},
	} {
		role, err := stacktest.Named(g, tRole, r.role)
		if err != nil {
			t.Fatal(err)
		}
		trust, err := iampolicy.Parse([]byte(fmt.Sprint(role.Inputs["assumeRolePolicy"])))
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			ctx  map[string][]string
			want iampolicy.Decision
		}{
			{"this account's resource", map[string][]string{"aws:SourceAccount": {acct}, "aws:SourceArn": {r.own}}, iampolicy.Allowed},
			{"another account's resource", map[string][]string{"aws:SourceAccount": {"999988887777"}, "aws:SourceArn": {r.foreign}}, iampolicy.ImplicitDeny},
			{"no source named", nil, iampolicy.ImplicitDeny},
		}
		if r.otherOwn != "" {
			cases = append(cases, struct {
				name string
				ctx  map[string][]string
				want iampolicy.Decision
			}{"another resource of this account", map[string][]string{"aws:SourceAccount": {acct}, "aws:SourceArn": {r.otherOwn}}, iampolicy.ImplicitDeny})
		}
		for _, c := range cases {
			t.Run(r.role+"/"+c.name, func(t *testing.T) {
				got, err := trust.Evaluate(iampolicy.Request{Action: "sts:AssumeRole", Resource: "*", Context: c.ctx})
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("%s, want %s (trust %v)", got, c.want, role.Inputs["assumeRolePolicy"])
				}
			})
		}
	}
}

// TestVpcCniRole: the VPC CNI's own IRSA role, trusted by kube-system:aws-node
// only, with AmazonEKS_CNI_Policy in the stack's partition.
func TestVpcCniRole(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	role, err := stacktest.Named(g, tRole, "irsa-vpc-cni")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := stacktest.PolicyDoc(role, "assumeRolePolicy")
	if err != nil {
		t.Fatal(err)
	}
	st := stacktest.Statements(doc)
	eq, _ := st[0]["Condition"].(map[string]any)["StringEquals"].(map[string]any)
	var sub any
	for k, v := range eq {
		if len(k) > 4 && k[len(k)-4:] == ":sub" {
			sub = v
		}
	}
	if sub != identity.VpcCniServiceAccount.Subject() {
		t.Errorf("trusts %v, want %s", sub, identity.VpcCniServiceAccount.Subject())
	}
	att, err := stacktest.Named(g, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "irsa-vpc-cni-AmazonEKS_CNI_Policy")
	if err != nil {
		t.Fatal(err)
	}
	if att.Inputs["policyArn"] != "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" {
		t.Errorf("policy %v", att.Inputs["policyArn"])
	}
}

// TestProviderCarriesTheAccountSelection: the explicit AWS provider takes
// the profile, the role to assume and the allowed accounts of spec key aws,
// and none of them when unset (the ambient credentials).
func TestProviderCarriesTheAccountSelection(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/deployer"
	g := stacktest.Evaluate(t, "prod", "aws.profile=prod-ops", "aws.assumeRoleArn="+role,
		"aws.assumeRoleExternalId=x1", "aws.allowedAccountIds=[111122223333]")
	prov := stacktest.One(t, g, tProvider)
	if prov.Inputs["profile"] != "prod-ops" {
		t.Errorf("profile %v", prov.Inputs["profile"])
	}
	assume := decoded(prov.Inputs["assumeRole"])
	if m, _ := assume.(map[string]any); m["roleArn"] != role || m["externalId"] != "x1" {
		t.Errorf("assumeRole %v", prov.Inputs["assumeRole"])
	}
	if ids := fmt.Sprint(decoded(prov.Inputs["allowedAccountIds"])); ids != "[111122223333]" {
		t.Errorf("allowedAccountIds %v", ids)
	}
	// The Kubernetes provider's token command assumes the same role with
	// the same external ID and session name (review N4).
	k8s := stacktest.One(t, g, typetoken.ProviderKubernetes)
	kc, _ := k8s.Inputs["kubeconfig"].(string)
	for _, want := range []string{"--role-arn", role, "--external-id", "x1", "--session-name", "mlops-platform-prod-deploy"} {
		if !strings.Contains(kc, want) {
			t.Errorf("the Kubernetes provider's kubeconfig lacks %q:\n%s", want, kc)
		}
	}
	plain := stacktest.One(t, stacktest.Graph(t, "prod"), tProvider)
	for _, k := range []string{"profile", "assumeRole", "allowedAccountIds"} {
		if plain.Inputs[k] != nil {
			t.Errorf("unset, yet the provider has %s = %v", k, plain.Inputs[k])
		}
	}
}

// decoded reads a provider input the engine may pass JSON-encoded.
func decoded(v any) any {
	if s, ok := v.(string); ok {
		var out any
		if json.Unmarshal([]byte(s), &out) == nil {
			return out
		}
	}
	return v
}
