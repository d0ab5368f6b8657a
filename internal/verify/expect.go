// Package verify compares a deployed stack with what its program declares:
// it derives the expected posture from the evaluated graph (Expect) and
// reads the live account through the AWS SDK (Run), one check per
// guarantee, each naming the resource and the wanted and live values.
package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Expected is the posture the program declares, read off the graph.
type Expected struct {
	Cluster    ClusterWant
	NodeGroups []NodeGroupWant
	Addons     []AddonWant
	Databases  []DatabaseWant
	Buckets    []BucketWant
	LogGroups  []LogGroupWant
}

// ClusterWant is the EKS control plane's declared posture.
type ClusterWant struct {
	Name, Version                   string
	PrivateEndpoint, PublicEndpoint bool
	// SecretsKey says secrets are envelope-encrypted with a KMS key.
	SecretsKey bool
	LogTypes   []string
}

// NodeGroupWant is a managed node group: its live name starts with Prefix.
type NodeGroupWant struct {
	Prefix, Version string
	Zones           []string
	Min, Max        int
}

// AddonWant is an EKS add-on at a pinned version.
type AddonWant struct{ Name, Version string }

// ContainerInsightsAddon is the add-on that runs Container Insights.
const ContainerInsightsAddon = "amazon-cloudwatch-observability"

// DatabaseWant is an RDS instance's declared posture.
type DatabaseWant struct {
	ID                                            string
	MultiAZ, DeletionProtection, StorageEncrypted bool
	KMSKey                                        bool
	BackupRetention                               int
}

// BucketWant is an S3 bucket's declared posture; Name is empty when the
// program gives only a Prefix (the live name is then looked up).
type BucketWant struct {
	Logical, Name, Prefix string
	Versioning            bool
	// SSE is the default encryption algorithm (aws:kms or AES256), empty
	// when none is declared.
	SSE string
	// PublicAccessBlock says all four public-access blocks are declared.
	PublicAccessBlock bool
}

// LogGroupWant is a CloudWatch log group's declared retention and key.
type LogGroupWant struct {
	Name          string
	RetentionDays int
	KMSKey        bool
}

// Expect reads the expected posture off an evaluated graph.
func Expect(g *plan.Graph) (*Expected, error) {
	var e Expected
	clusters := g.ByType(typetoken.Cluster)
	if len(clusters) != 1 {
		return nil, fmt.Errorf("the graph declares %d EKS clusters, want 1", len(clusters))
	}
	c := clusters[0]
	e.Cluster = ClusterWant{
		Name: str(c, "name"), Version: str(c, "version"),
		PrivateEndpoint: boolean(c, "vpcConfig.endpointPrivateAccess"),
		PublicEndpoint:  boolean(c, "vpcConfig.endpointPublicAccess"),
		SecretsKey:      str(c, "encryptionConfig.provider.keyArn") != "",
		LogTypes:        strs(c, "enabledClusterLogTypes"),
	}
	zones := map[string]string{} // subnet id -> zone
	for _, s := range g.ByType(typetoken.Subnet) {
		zones[s.ID] = str(s, "availabilityZone")
	}
	for _, n := range g.ByType(typetoken.NodeGroup) {
		w := NodeGroupWant{Prefix: str(n, "nodeGroupNamePrefix"), Version: str(n, "version"),
			Min: num(n, "scalingConfig.minSize"), Max: num(n, "scalingConfig.maxSize")}
		if name := str(n, "nodeGroupName"); name != "" {
			w.Prefix = name
		}
		if w.Version == "" {
			w.Version = e.Cluster.Version
		}
		for _, id := range strs(n, "subnetIds") {
			if z := zones[id]; z != "" && !slices.Contains(w.Zones, z) {
				w.Zones = append(w.Zones, z)
			}
		}
		slices.Sort(w.Zones)
		e.NodeGroups = append(e.NodeGroups, w)
	}
	for _, a := range g.ByType(typetoken.Addon) {
		e.Addons = append(e.Addons, AddonWant{Name: str(a, "addonName"), Version: str(a, "addonVersion")})
	}
	for _, d := range g.ByType(typetoken.DBInstance) {
		e.Databases = append(e.Databases, DatabaseWant{
			ID: str(d, "identifier"), MultiAZ: boolean(d, "multiAz"), DeletionProtection: boolean(d, "deletionProtection"),
			StorageEncrypted: boolean(d, "storageEncrypted"), KMSKey: str(d, "kmsKeyId") != "",
			BackupRetention: num(d, "backupRetentionPeriod"),
		})
	}
	e.Buckets = expectBuckets(g)
	for _, l := range g.ByType(typetoken.LogGroup) {
		e.LogGroups = append(e.LogGroups, LogGroupWant{Name: str(l, "name"), RetentionDays: num(l, "retentionInDays"), KMSKey: str(l, "kmsKeyId") != ""})
	}
	return &e, nil
}

// InAccount returns e with the evaluation's account ID in resource names
// (the access-log bucket's, for one) replaced by the live account's.
func (e Expected) InAccount(evaluated, live string) *Expected {
	e.Buckets = slices.Clone(e.Buckets)
	for i := range e.Buckets {
		b := &e.Buckets[i]
		b.Name = strings.ReplaceAll(b.Name, evaluated, live)
		b.Prefix = strings.ReplaceAll(b.Prefix, evaluated, live)
	}
	e.LogGroups = slices.Clone(e.LogGroups)
	for i := range e.LogGroups {
		e.LogGroups[i].Name = strings.ReplaceAll(e.LogGroups[i].Name, evaluated, live)
	}
	return &e
}

// expectBuckets joins each bucket with the configuration resources that
// name it (by the bucket's ID in the graph).
func expectBuckets(g *plan.Graph) []BucketWant {
	byID := map[string]*BucketWant{}
	var order []string
	for _, b := range g.ByType(typetoken.Bucket) {
		byID[b.ID] = &BucketWant{Logical: b.Name, Name: str(b, "bucket"), Prefix: str(b, "bucketPrefix")}
		order = append(order, b.ID)
	}
	for _, v := range g.ByType(typetoken.BucketVersioning) {
		if w := byID[str(v, "bucket")]; w != nil {
			w.Versioning = str(v, "versioningConfiguration.status") == "Enabled"
		}
	}
	for _, s := range g.ByType(typetoken.BucketEncryption) {
		if w := byID[str(s, "bucket")]; w != nil {
			w.SSE = str(s, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm")
		}
	}
	for _, p := range g.ByType(typetoken.BucketPublicAccessBlock) {
		if w := byID[str(p, "bucket")]; w != nil {
			w.PublicAccessBlock = boolean(p, "blockPublicAcls") && boolean(p, "blockPublicPolicy") &&
				boolean(p, "ignorePublicAcls") && boolean(p, "restrictPublicBuckets")
		}
	}
	out := make([]BucketWant, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	return out
}

func str(r plan.Resource, path string) string {
	v, _ := r.Input(path)
	s, _ := v.(string)
	return s
}

func boolean(r plan.Resource, path string) bool {
	v, _ := r.Input(path)
	b, _ := v.(bool)
	return b
}

func num(r plan.Resource, path string) int {
	v, _ := r.Input(path)
	switch n := v.(type) {
	case int64: // whole numbers, as the engine gives them
		return int(n)
	case float64:
		return int(n)
	}
	return 0
}

func strs(r plan.Resource, path string) []string {
	v, _ := r.Input(path)
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// label shortens a node group prefix ("general-") to its role ("general").
func label(prefix string) string { return strings.TrimSuffix(prefix, "-") }
