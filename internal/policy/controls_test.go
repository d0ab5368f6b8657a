package policy

import (
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"testing"
)

// Resource types the mutations touch.
const (
	tCluster  = typetoken.Cluster
	tVpc      = typetoken.Vpc
	tAddon    = typetoken.Addon
	tOIDC     = typetoken.OIDCProvider
	tRole     = typetoken.Role
	tPolicy   = typetoken.RolePolicy
	tAttach   = typetoken.RolePolicyAttachment
	tGroup    = typetoken.NodeGroup
	tLT       = typetoken.LaunchTemplate
	tSubnet   = typetoken.Subnet
	tSG       = typetoken.SecurityGroup
	tDefSG    = typetoken.DefaultSecurityGroup
	tRoute    = typetoken.Route
	tDB       = typetoken.DBInstance
	tParams   = typetoken.DBParameterGroup
	tBucket   = typetoken.Bucket
	tLogGroup = typetoken.LogGroup
	tKey      = typetoken.KMSKey
	tProvider = typetoken.ProviderAWS
)

type mutation struct {
	name    string
	control string
	// mutate changes a copy of the prod plan document.
	mutate func(t *testing.T, d map[string]any)
}

// setInput returns a mutation that writes v at path in one resource's inputs.
func setInput(typ, name string, v any, path ...string) func(*testing.T, map[string]any) {
	return func(t *testing.T, d map[string]any) { set(inputs(t, d, typ, name), path, v) }
}

// TestEveryControlCatchesItsViolation mutates the prod plan so that one
// control is violated and checks that exactly that control reports it.
func TestEveryControlCatchesItsViolation(t *testing.T) {
	var cases []mutation
	for _, m := range [][]mutation{clusterMutations(), identityMutations(), networkMutations(), dataMutations(), albMutations(), kubernetesMutations(), karpenterMutations()} {
		cases = append(cases, m...)
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.control] = true
		t.Run(tc.control+"/"+tc.name, func(t *testing.T) {
			d := baseDoc(t, "prod")
			tc.mutate(t, d)
			r := evaluate(t, d, Options{})
			s, ok := r.Summary(tc.control)
			if !ok || s.Failed == 0 {
				t.Fatalf("control %s did not fail (summary %+v); failed controls: %v", tc.control, s, r.FailedControls())
			}
			if !r.MandatoryFailed() {
				t.Fatalf("MandatoryFailed() = false with control %s failing", tc.control)
			}
			for _, x := range r.Failures() {
				if x.Control == tc.control && x.Message == "" {
					t.Errorf("failure of %s on %s has no message", x.Control, x.URN)
				}
			}
		})
	}
	for _, c := range Catalogue {
		if c.Implemented() && !covered[c.ID] {
			t.Errorf("control %s is implemented but no mutation proves it fails", c.ID)
		}
	}
}

func clusterMutations() []mutation {
	return []mutation{
		{"public endpoint", "1", setInput(tCluster, "cluster", true, "vpcConfig", "endpointPublicAccess")},
		{"no private endpoint", "1", setInput(tCluster, "cluster", false, "vpcConfig", "endpointPrivateAccess")},
		{"public endpoint open to the world", "2", func(t *testing.T, d map[string]any) {
			in := inputs(t, d, tCluster, "cluster")
			set(in, []string{"vpcConfig", "endpointPublicAccess"}, true)
			set(in, []string{"vpcConfig", "publicAccessCidrs"}, []any{"0.0.0.0/0"})
		}},
		{"public endpoint without CIDRs", "2", setInput(tCluster, "cluster", true, "vpcConfig", "endpointPublicAccess")},
		{"no secrets encryption", "3", func(t *testing.T, d map[string]any) { delete(inputs(t, d, tCluster, "cluster"), "encryptionConfig") }},
		{"secrets under an AWS managed alias", "3", setInput(tCluster, "cluster", "alias/aws/eks", "encryptionConfig", "provider", "keyArn")},
		{"audit log off", "4", setInput(tCluster, "cluster", []any{"api", "authenticator"}, "enabledClusterLogTypes")},
		{"extended support", "5", setInput(tCluster, "cluster", "EXTENDED", "upgradePolicy", "supportType")},
		{"version out of standard support", "5", setInput(tCluster, "cluster", "1.31", "version")},
		{"aws-auth config map", "6", setInput(tCluster, "cluster", "API_AND_CONFIG_MAP", "accessConfig", "authenticationMode")},
		{"no DNS hostnames", "7", setInput(tVpc, "network-vpc", false, "enableDnsHostnames")},
		{"network policy off", "8", setInput(tAddon, "addons-vpc-cni", "{}", "configurationValues")},
		{"extra audience", "9", setInput(tOIDC, "cluster-oidc", []any{"sts.amazonaws.com", "kubernetes"}, "clientIdLists")},
		{"no OIDC provider", "9", func(t *testing.T, d map[string]any) { removeType(d, tOIDC) }},
		{"provider without CostCenter tag", "MLOPS-TAGS", func(t *testing.T, d map[string]any) {
			delete(inputs(t, d, tProvider, "aws")["defaultTags"].(map[string]any)["tags"].(map[string]any), "CostCenter")
		}},
		{"resource outside the provider", "MLOPS-TAGS", func(t *testing.T, d map[string]any) {
			resource(t, d, tBucket, "artifacts")["provider"] = ""
		}},
	}
}

func identityMutations() []mutation {
	return []mutation{
		{"irsa without conditions", "10", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tRole, "irsa-mlflow"), "assumeRolePolicy", func(s []any) { delete(s[0].(map[string]any), "Condition") })
		}},
		{"star principal", "10", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tRole, "cluster-role"), "assumeRolePolicy", func(s []any) { s[0].(map[string]any)["Principal"] = map[string]any{"AWS": "*"} })
		}},
		{"service wildcard", "11", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tPolicy, "irsa-kserve"), "policy", func(s []any) { s[1].(map[string]any)["Action"] = []any{"s3:*"} })
		}},
		{"administrator attached", "11", setInput(tAttach, "cluster-role-policy", "arn:aws:iam::aws:policy/AdministratorAccess", "policyArn")},
		{"user policy attachment", "12", func(t *testing.T, d map[string]any) {
			addResource(d, map[string]any{"urn": "urn:pulumi:prod::mlops-platform::aws:iam/userPolicyAttachment:UserPolicyAttachment::ops", "type": typetoken.UserPolicyAttachment, "name": "ops", "custom": true,
				"provider": urnOf(t, d, tProvider, "aws"), "inputs": map[string]any{"user": "ops", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, "dependencies": []any{}})
		}},
		{"kms decrypt on every key", "13", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tPolicy, "irsa-kserve"), "policy", func(s []any) { s[2].(map[string]any)["Resource"] = []any{"*"} })
		}},
		{"kms use without ViaService", "13", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tPolicy, "irsa-mlflow"), "policy", func(s []any) { delete(s[2].(map[string]any), "Condition") })
		}},
		{"nodes in public subnets", "14", func(t *testing.T, d map[string]any) {
			g := resource(t, d, tGroup, "nodes-general")
			deps := g["dependencies"].([]any)
			for i, x := range deps {
				if x == urnOf(t, d, tSubnet, "network-private-eu-west-1a") {
					deps[i] = urnOf(t, d, tSubnet, "network-public-eu-west-1a")
				}
			}
		}},
		{"IMDSv1 allowed", "15", setInput(tLT, "nodes-general", "optional", "metadataOptions", "httpTokens")},
		{"group without launch template", "15", func(t *testing.T, d map[string]any) { removeType(d, tLT) }},
		{"hop limit 2", "16", setInput(tLT, "nodes-general", 2, "metadataOptions", "httpPutResponseHopLimit")},
		{"unencrypted root volume", "17", func(t *testing.T, d map[string]any) {
			inputs(t, d, tLT, "nodes-general")["blockDeviceMappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any)["encrypted"] = "false"
		}},
		{"gp2 root volume", "17", func(t *testing.T, d map[string]any) {
			inputs(t, d, tLT, "nodes-general")["blockDeviceMappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any)["volumeType"] = "gp2"
		}},
		{"ssh remote access", "19", setInput(tGroup, "nodes-general", map[string]any{"ec2SshKey": "ops"}, "remoteAccess")},
		{"public IP on interfaces", "20", setInput(tLT, "nodes-general", []any{map[string]any{"associatePublicIpAddress": "true"}}, "networkInterfaces")},
		{"general spans one zone", "21", func(t *testing.T, d map[string]any) {
			g := resource(t, d, tGroup, "nodes-general")
			var deps []any
			for _, x := range g["dependencies"].([]any) {
				if x != urnOf(t, d, tSubnet, "network-private-eu-west-1b") && x != urnOf(t, d, tSubnet, "network-private-eu-west-1c") {
					deps = append(deps, x)
				}
			}
			g["dependencies"] = deps
		}},
	}
}
