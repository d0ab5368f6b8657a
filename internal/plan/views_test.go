package plan_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// viewCase is what the typed views must read off one evaluated stack.
type viewCase struct {
	name  string
	graph func(t *testing.T) *plan.Graph
	// cluster
	publicEndpoint bool
	// general node group
	generalTypes []string
	generalSize  plan.Scaling
	// database
	multiAZ, deletionProtection bool
	storageGB, backupDays       int
	// the artifacts bucket keeps versions
	artifactVersioning bool
	insights           bool
}

func viewCases() []viewCase {
	return []viewCase{
		{name: "dev", graph: func(t *testing.T) *plan.Graph { return stacktest.Graph(t, "dev") },
			publicEndpoint: true, generalTypes: []string{"t3.large"}, generalSize: plan.Scaling{Min: 2, Desired: 2, Max: 4},
			storageGB: 20, backupDays: 1},
		{name: "prod", graph: func(t *testing.T) *plan.Graph { return stacktest.Graph(t, "prod") },
			generalTypes: []string{"m5.xlarge", "m5a.xlarge", "m6i.xlarge"}, generalSize: plan.Scaling{Min: 3, Desired: 3, Max: 10},
			multiAZ: true, deletionProtection: true, storageGB: 50, backupDays: 7, artifactVersioning: true, insights: true},
		{name: "prod, single-AZ database, no deletion protection", graph: func(t *testing.T) *plan.Graph {
			return stacktest.Evaluate(t, "prod", "database.multiAz=false", "database.deletionProtection=false")
		}, generalTypes: []string{"m5.xlarge", "m5a.xlarge", "m6i.xlarge"}, generalSize: plan.Scaling{Min: 3, Desired: 3, Max: 10},
			storageGB: 50, backupDays: 7, artifactVersioning: true, insights: true},
	}
}

func TestClusterAndNodeGroupViews(t *testing.T) {
	for _, tc := range viewCases() {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.graph(t)
			cl := g.Clusters()
			if len(cl) != 1 {
				t.Fatalf("%d clusters, want 1", len(cl))
			}
			c := cl[0]
			if want := "mlops-platform-" + g.Stack; c.Name != want || c.Version == "" || !c.PrivateEndpoint || c.PublicEndpoint != tc.publicEndpoint {
				t.Errorf("cluster = %s v%q private %v public %v; want %s, a version, private, public %v", c.Name, c.Version, c.PrivateEndpoint, c.PublicEndpoint, want, tc.publicEndpoint)
			}
			if !strings.HasPrefix(c.SecretsKeyArn, "arn:aws:kms:") || !slices.Contains(c.LogTypes, "audit") {
				t.Errorf("cluster secrets key %q, log types %v: want a KMS key and audit logs", c.SecretsKeyArn, c.LogTypes)
			}
			ng, ok := g.ManagedNodeGroup("general")
			if !ok {
				t.Fatal("no general node group")
			}
			if !slices.Equal(ng.InstanceTypes, tc.generalTypes) || ng.Scaling == nil || *ng.Scaling != tc.generalSize {
				t.Errorf("general = %v %+v, want %v %+v", ng.InstanceTypes, ng.Scaling, tc.generalTypes, tc.generalSize)
			}
			if ng.NamePrefix != "general-" || ng.ClusterName != c.Name || ng.Labels["mlops-platform/workload"] != "general" {
				t.Errorf("general prefix %q cluster %q labels %v", ng.NamePrefix, ng.ClusterName, ng.Labels)
			}
			zones, unknown := g.Zones(ng.SubnetIDs)
			if len(zones) != 3 || len(unknown) != 0 {
				t.Errorf("general zones %v, unknown subnets %v; want 3 zones", zones, unknown)
			}
			// Training and GPU capacity are Karpenter NodePools, no managed
			// node groups.
			for _, pool := range []string{"training", "gpu"} {
				if _, ok := g.ManagedNodeGroup(pool); ok {
					t.Errorf("%s is a managed node group; it is a Karpenter NodePool", pool)
				}
			}
			if g.HasAddon(plan.ContainerInsightsAddon) != tc.insights {
				t.Errorf("Container Insights add-on declared %v, want %v", !tc.insights, tc.insights)
			}
		})
	}
}

func TestDataViews(t *testing.T) {
	for _, tc := range viewCases() {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.graph(t)
			dbs := g.Databases()
			if len(dbs) != 1 {
				t.Fatalf("%d databases, want 1", len(dbs))
			}
			db := dbs[0]
			if db.MultiAZ != tc.multiAZ || db.DeletionProtection != tc.deletionProtection || db.AllocatedStorage != tc.storageGB || db.BackupRetentionDays != tc.backupDays {
				t.Errorf("database Multi-AZ %v, deletion protection %v, %d GB, %d days; want %v, %v, %d GB, %d days",
					db.MultiAZ, db.DeletionProtection, db.AllocatedStorage, db.BackupRetentionDays, tc.multiAZ, tc.deletionProtection, tc.storageGB, tc.backupDays)
			}
			if db.Engine != "postgres" || !db.StorageEncrypted || db.KMSKeyID == "" || db.Identifier != "mlops-platform-"+g.Stack+"-mlflow" {
				t.Errorf("database %+v", db)
			}
			buckets := map[string]plan.Bucket{}
			for _, b := range g.Buckets() {
				buckets[b.Resource.Name] = b
			}
			art, logs := buckets["artifacts"], buckets["access-logs"]
			if art.Prefix != "mlops-platform-"+g.Stack+"-artifacts-" || art.SSE != "aws:kms" || !art.PublicAccessBlock || art.Versioning != tc.artifactVersioning {
				t.Errorf("artifacts bucket %+v, want versioning %v", art, tc.artifactVersioning)
			}
			// The access-log bucket is named after the account the graph
			// was evaluated in, which the graph records.
			if g.Account == "" || logs.Name != "mlops-platform-"+g.Stack+"-access-logs-"+g.Account || logs.SSE != "AES256" {
				t.Errorf("access-logs bucket %+v in account %q", logs, g.Account)
			}
			if got := g.InAccount(logs.Name, "999988887777"); got != "mlops-platform-"+g.Stack+"-access-logs-999988887777" {
				t.Errorf("InAccount = %q", got)
			}
			keys := g.Keys()
			if len(keys) < 2 || slices.ContainsFunc(keys, func(k plan.Key) bool { return !k.Rotation }) {
				t.Errorf("keys %v: want at least 2, all rotating", keys)
			}
			for _, l := range g.LogGroups() {
				if l.RetentionDays == 0 || l.KMSKeyID == "" {
					t.Errorf("log group %s: retention %d, key %q", l.Name, l.RetentionDays, l.KMSKeyID)
				}
			}
		})
	}
}

func TestRoleAndKubernetesViews(t *testing.T) {
	for _, tc := range viewCases() {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.graph(t)
			roles := map[string]plan.Role{}
			for _, r := range g.Roles() {
				roles[r.Resource.Name] = r
			}
			if r := roles["irsa-mlflow"]; !r.WebIdentity || !slices.Equal(r.ServiceAccounts, []string{"mlflow/mlflow"}) || len(r.Services) != 0 {
				t.Errorf("irsa-mlflow trust %+v", r)
			}
			if r := roles["cluster-role"]; r.WebIdentity || !slices.Equal(r.Services, []string{"eks"}) {
				t.Errorf("cluster-role trust %+v", r)
			}
			rels := map[string]plan.Release{}
			for _, r := range g.HelmReleases() {
				rels[r.Name] = r
			}
			if m := rels["mlflow"]; m.Namespace != "mlflow" || m.Chart != "mlflow" || m.Version == "" || !strings.HasPrefix(m.Repo, "https://") {
				t.Errorf("mlflow release %+v", m)
			}
			if k := rels["kserve"]; !strings.HasPrefix(k.Chart, "oci://") || k.Repo != "" {
				t.Errorf("kserve release %+v", k)
			}
			levels := map[string]string{}
			for _, ns := range g.Namespaces() {
				levels[ns.Name] = ns.Labels["pod-security.kubernetes.io/enforce"]
			}
			if levels["mlflow"] != "restricted" || levels["nvidia-device-plugin"] != "privileged" {
				t.Errorf("namespace PSA levels %v", levels)
			}
		})
	}
}

// TestViewsOfHandWrittenResources covers what the stacks do not declare:
// absent inputs and trust policies that do not parse.
func TestViewsOfHandWrittenResources(t *testing.T) {
	cases := []struct {
		name string
		got  func() any
		want any
	}{
		{"no scaling config", func() any { return plan.ManagedNodeGroupOf(plan.Resource{Inputs: map[string]any{}}).Scaling == nil }, true},
		{"fixed EKS name wins", func() any {
			return plan.ManagedNodeGroupOf(plan.Resource{Inputs: map[string]any{"nodeGroupName": "x", "nodeGroupNamePrefix": "y-"}}).Name
		}, "x"},
		{"prefix without its dash", func() any {
			return plan.ManagedNodeGroupOf(plan.Resource{Inputs: map[string]any{"nodeGroupNamePrefix": "y-"}}).Name
		}, "y"},
		{"float sizes", func() any {
			return *plan.ManagedNodeGroupOf(plan.Resource{Inputs: map[string]any{"scalingConfig": map[string]any{"minSize": 1.0, "desiredSize": int64(2), "maxSize": 3}}}).Scaling
		}, plan.Scaling{Min: 1, Desired: 2, Max: 3}},
		{"trust not JSON", func() any {
			r := plan.RoleOf(plan.Resource{Inputs: map[string]any{"assumeRolePolicy": "[secret]"}})
			return r.WebIdentity || len(r.Services)+len(r.ServiceAccounts) > 0
		}, false},
		{"absent Multi-AZ is single-AZ", func() any { return plan.DatabaseOf(plan.Resource{Inputs: map[string]any{"multiAz": "yes"}}).MultiAZ }, false},
		{"lone string is a list", func() any { return strings.Join(plan.StringList("a"), ",") }, "a"},
		{"list skips non-strings", func() any { return strings.Join(plan.StringList([]any{"a", 1, "", "b"}), ",") }, "a,b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRoleTrust(t *testing.T) {
	cases := []struct {
		name, doc          string
		web                bool
		subjects, services string
	}{
		{"service list", `{"Statement":[{"Principal":{"Service":["eks.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`, false, "", "eks"},
		{"service string", `{"Statement":[{"Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, false, "", "vpc-flow-logs"},
		{"irsa", `{"Statement":[{"Principal":{"Federated":"arn"},"Action":["sts:AssumeRoleWithWebIdentity"],"Condition":{"StringEquals":{"oidc.example/id/X:sub":"system:serviceaccount:mlflow:mlflow","oidc.example/id/X:aud":"sts.amazonaws.com"}}}]}`, true, "mlflow/mlflow", ""},
		{"not json", `{`, false, "", ""},
		{"empty", ``, false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := plan.RoleOf(plan.Resource{Inputs: map[string]any{"assumeRolePolicy": c.doc}})
			if got.WebIdentity != c.web || strings.Join(got.ServiceAccounts, " ") != c.subjects || strings.Join(got.Services, " ") != c.services {
				t.Errorf("RoleOf = %+v", got)
			}
		})
	}
}

// TestGraphRecordsWhereItWasEvaluated: every ARN the program derived names
// the partition and account the graph records, and the region is the
// stack's, so readers can take them from the graph.
func TestGraphRecordsWhereItWasEvaluated(t *testing.T) {
	arn := regexp.MustCompile(`arn:([a-z-]+):[a-z0-9-]+:([a-z0-9-]*):([0-9a-z]*):`)
	// Accounts AWS owns that the program names on purpose: "aws" (managed
	// policies) and Elastic Load Balancing's account in eu-west-1, which
	// writes access logs (ELB User Guide, "Enable access logs for your
	// Application Load Balancer").
	awsOwned := map[string]bool{"": true, "aws": true, "156460612806": true}
	for _, tc := range viewCases() {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.graph(t)
			if g.Account == "" || g.Partition == "" || g.Region != "eu-west-1" {
				t.Fatalf("graph evaluated in account %q, partition %q, region %q", g.Account, g.Partition, g.Region)
			}
			seen := 0
			for _, r := range g.Resources {
				b, err := json.Marshal(r.Inputs)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range arn.FindAllStringSubmatch(string(b), -1) {
					partition, region, account := m[1], m[2], m[3]
					if partition != g.Partition || region != "" && region != g.Region || !awsOwned[account] && account != g.Account {
						t.Errorf("%s names %s: not in partition %s, region %s, account %s", r.URN, m[0], g.Partition, g.Region, g.Account)
					}
					if account == g.Account {
						seen++
					}
				}
			}
			if seen < 10 {
				t.Errorf("only %d ARNs name the graph's account %s", seen, g.Account)
			}
		})
	}
}
