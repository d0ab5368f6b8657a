package infra_test

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// securityChecks assert the document's Security Considerations that the
// AWS layer is responsible for.
func securityChecks() []check {
	return []check{
		{"encryption: EKS secrets with a customer-managed key", both, func(g *plan.Graph) error {
			c, err := only(g, tCluster)
			if err != nil {
				return err
			}
			if err := expect(c, "encryptionConfig.resources", "[secrets]"); err != nil {
				return err
			}
			return usesOwnKey(g, c, "encryptionConfig.provider.keyArn")
		}, func(g *plan.Graph) { set(g, tCluster, "", "encryptionConfig.provider.keyArn", "alias/aws/eks") }},
		{"encryption: RDS storage on the customer-managed key", both, func(g *plan.Graph) error {
			db, err := only(g, tDB)
			if err != nil {
				return err
			}
			if err := expect(db, "storageEncrypted", true); err != nil {
				return err
			}
			return usesOwnKey(g, db, "kmsKeyId")
		}, func(g *plan.Graph) { set(g, tDB, "", "storageEncrypted", false) }},
		{"encryption: S3 SSE-KMS with bucket key", both, func(g *plan.Graph) error {
			enc, err := artifact(g, typetoken.BucketEncryption)
			if err != nil {
				return err
			}
			if err := expect(enc, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "aws:kms"); err != nil {
				return err
			}
			if err := expect(enc, "rules[0].bucketKeyEnabled", true); err != nil {
				return err
			}
			return usesOwnKey(g, enc, "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId")
		}, func(g *plan.Graph) {
			set(g, typetoken.BucketEncryption, "", "rules", []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}})
		}},
		{"encryption: EBS root volumes gp3 on the customer-managed key", both, ebsEncrypted,
			func(g *plan.Graph) {
				set(g, tLT, "nodes-general", "blockDeviceMappings", []any{map[string]any{"ebs": map[string]any{"encrypted": "false"}}})
			}},
		{"encryption: log groups on the customer-managed key", both, func(g *plan.Graph) error {
			for _, lg := range g.ByType(tLogGroup) {
				if err := usesOwnKey(g, lg, "kmsKeyId"); err != nil {
					return err
				}
			}
			return nil
		}, func(g *plan.Graph) { set(g, tLogGroup, "logs-cluster", "kmsKeyId", nil) }},
		{"network isolation: node groups only in private subnets across 3 AZs", both, nodesPrivate,
			func(g *plan.Graph) { set(g, tNodeGroup, "nodes-general", "subnetIds", []any{"subnet-public"}) }},
		{"network isolation: no subnet maps public IPs", both, func(g *plan.Graph) error {
			return expectAll(g, tSubnet, "mapPublicIpOnLaunch", false)
		}, func(g *plan.Graph) { set(g, tSubnet, "network-public-eu-west-1a", "mapPublicIpOnLaunch", true) }},
		{"network isolation: public subnets for load balancers only", both, subnetRoles,
			func(g *plan.Graph) {
				set(g, tSubnet, "network-private-eu-west-1b", "tags", map[string]any{"kubernetes.io/role/elb": "1"})
			}},
		{"network isolation: internal load balancers in their own subnets, not the nodes'", both, subnetRoles,
			func(g *plan.Graph) {
				set(g, tSubnet, "network-private-eu-west-1b", "tags", map[string]any{"kubernetes.io/role/internal-elb": "1"})
			}},
		{"network isolation: database private, admitted from nodes (and the bastion) on 5432 only", both, databaseIsolated,
			func(g *plan.Graph) {
				set(g, typetoken.SecurityGroupIngressRule, "", "cidrIpv4", "0.0.0.0/0")
			}},
		{"IRSA: each role trusts one service account and the STS audience", both, irsaTrust,
			func(g *plan.Graph) {
				set(g, tRole, "irsa-mlflow", "assumeRolePolicy", `{"Statement":[{"Effect":"Allow","Principal":{"Federated":"x"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"x:sub":"system:serviceaccount:*"}}}]}`)
			}},
		{"IAM: no wildcard actions, no service:* grants", both, noWildcardActions,
			func(g *plan.Graph) {
				set(g, tRolePol, "irsa-kserve", "policy", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
			}},
		{"IAM: OIDC provider for IRSA with the STS client", both, func(g *plan.Graph) error {
			p, err := only(g, typetoken.OIDCProvider)
			if err != nil {
				return err
			}
			if err := expect(p, "clientIdLists", "[sts.amazonaws.com]"); err != nil {
				return err
			}
			if !strings.HasPrefix(fmt.Sprint(p.Inputs["url"]), "https://oidc.eks.") {
				return fmt.Errorf("OIDC url %v is not the cluster issuer", p.Inputs["url"])
			}
			return nil
		}, func(g *plan.Graph) {
			set(g, typetoken.OIDCProvider, "", "clientIdLists", []any{"*"})
		}},
	}
}

func usesOwnKey(g *plan.Graph, r plan.Resource, path string) error {
	v, _ := r.Input(path)
	if !keyArns(g)[fmt.Sprint(v)] {
		return fmt.Errorf("%s: %s = %v is not one of the platform's customer-managed keys", r.Name, path, v)
	}
	return nil
}

func ebsEncrypted(g *plan.Graph) error {
	for _, lt := range g.ByType(tLT) {
		for path, want := range map[string]any{
			"blockDeviceMappings[0].ebs.encrypted":  "true",
			"blockDeviceMappings[0].ebs.volumeType": "gp3",
		} {
			if err := expect(lt, path, want); err != nil {
				return err
			}
		}
		if err := usesOwnKey(g, lt, "blockDeviceMappings[0].ebs.kmsKeyId"); err != nil {
			return err
		}
	}
	return nil
}

func nodesPrivate(g *plan.Graph) error {
	private := privateSubnetIDs(g)
	for _, ng := range g.ByType(tNodeGroup) {
		zones := map[string]bool{}
		for _, id := range stacktest.Strings(ng.Inputs["subnetIds"]) {
			az, ok := private[id]
			if !ok {
				return fmt.Errorf("%s uses %s, which is not a private subnet", ng.Name, id)
			}
			zones[az] = true
		}
		if len(zones) != 3 {
			return fmt.Errorf("%s spans %d zones, want 3", ng.Name, len(zones))
		}
	}
	return nil
}

func subnetRoles(g *plan.Graph) error {
	for _, s := range g.ByType(tSubnet) {
		tags, _ := s.Inputs["tags"].(map[string]any)
		// Internet-facing load balancers go to the public subnets,
		// internal ones to their own subnets only: never the nodes'.
		public, alb := strings.Contains(s.Name, "-public-"), strings.Contains(s.Name, "-alb-")
		if _, elb := tags["kubernetes.io/role/elb"]; elb != public {
			return fmt.Errorf("%s: internet-facing ELB role tag present=%v", s.Name, elb)
		}
		if _, internal := tags["kubernetes.io/role/internal-elb"]; internal != alb {
			return fmt.Errorf("%s: internal ELB role tag present=%v", s.Name, internal)
		}
	}
	return nil
}

func databaseIsolated(g *plan.Graph) error {
	db, err := only(g, tDB)
	if err != nil {
		return err
	}
	if err := expect(db, "publiclyAccessible", false); err != nil {
		return err
	}
	sng, err := only(g, typetoken.DBSubnetGroup)
	if err != nil {
		return err
	}
	private := privateSubnetIDs(g)
	for _, id := range stacktest.Strings(sng.Inputs["subnetIds"]) {
		if _, ok := private[id]; !ok {
			return fmt.Errorf("database subnet group uses non-private subnet %s", id)
		}
	}
	// The node group's rule, and with the bastion its group's (the DR
	// drill's forward, review N5): each references a security group on
	// 5432, none a CIDR.
	want := 1
	if _, err := stacktest.Named(g, "aws:ec2/securityGroup:SecurityGroup", "bastion-sg"); err == nil {
		want = 2
	}
	var rules []plan.Resource
	for _, r := range g.ByType(typetoken.SecurityGroupIngressRule) {
		if strings.HasPrefix(r.Name, "database-") {
			rules = append(rules, r)
		}
	}
	if len(rules) != want {
		return fmt.Errorf("database security group has %d ingress rules, want %d", len(rules), want)
	}
	for _, r := range rules {
		if r.Inputs["cidrIpv4"] != nil || !strings.HasPrefix(fmt.Sprint(r.Inputs["referencedSecurityGroupId"]), "sg-") {
			return fmt.Errorf("database ingress %s must reference a security group, got %v", r.Name, r.Inputs)
		}
		if fmt.Sprint(r.Inputs["fromPort"]) != "5432" || fmt.Sprint(r.Inputs["toPort"]) != "5432" {
			return fmt.Errorf("database ingress %s ports %v-%v, want 5432", r.Name, r.Inputs["fromPort"], r.Inputs["toPort"])
		}
	}
	return nil
}

func irsaTrust(g *plan.Graph) error {
	count := 0
	for _, role := range g.ByType(tRole) {
		if !strings.HasPrefix(role.Name, "irsa-") {
			continue
		}
		count++
		doc, err := stacktest.PolicyDoc(role, "assumeRolePolicy")
		if err != nil {
			return err
		}
		for _, st := range stacktest.Statements(doc) {
			eq, _ := st["Condition"].(map[string]any)["StringEquals"].(map[string]any)
			var sub, aud bool
			for k, v := range eq {
				sub = sub || strings.HasSuffix(k, ":sub") && strings.HasPrefix(fmt.Sprint(v), "system:serviceaccount:") && !strings.Contains(fmt.Sprint(v), "*")
				aud = aud || strings.HasSuffix(k, ":aud") && v == "sts.amazonaws.com"
			}
			if !sub || !aud {
				return fmt.Errorf("%s trust is not pinned to one service account and the STS audience: %v", role.Name, st["Condition"])
			}
		}
	}
	if count != 9 {
		return fmt.Errorf("%d IRSA roles, want 9 (mlflow, mlflow db setup, kserve, lb controller, ebs csi, autoscaler, cloudwatch, vpc cni, alertmanager)", count)
	}
	return nil
}

func noWildcardActions(g *plan.Graph) error {
	for _, pol := range g.ByType(tRolePol) {
		doc, err := stacktest.PolicyDoc(pol, "policy")
		if err != nil {
			return err
		}
		for _, st := range stacktest.Statements(doc) {
			if st["Effect"] != "Allow" {
				continue
			}
			for _, a := range stacktest.Strings(st["Action"]) {
				if a == "*" || strings.HasSuffix(a, ":*") {
					return fmt.Errorf("%s allows %s", pol.Name, a)
				}
			}
		}
	}
	return nil
}
