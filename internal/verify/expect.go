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
)

// Expected is the posture the program declares, read off the graph.
type Expected struct {
	// Account is the account the graph was evaluated in: names the
	// program derives from it carry it (see InAccount).
	Account    string
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
const ContainerInsightsAddon = plan.ContainerInsightsAddon

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
	e := Expected{Account: g.Account}
	clusters := g.Clusters()
	if len(clusters) != 1 {
		return nil, fmt.Errorf("the graph declares %d EKS clusters, want 1", len(clusters))
	}
	c := clusters[0]
	e.Cluster = ClusterWant{Name: c.Name, Version: c.Version, PrivateEndpoint: c.PrivateEndpoint, PublicEndpoint: c.PublicEndpoint,
		SecretsKey: c.SecretsKeyArn != "", LogTypes: c.LogTypes}
	for _, n := range g.ManagedNodeGroups() {
		w := NodeGroupWant{Prefix: n.NamePrefix, Version: n.Version}
		if n.Scaling != nil {
			w.Min, w.Max = n.Scaling.Min, n.Scaling.Max
		}
		if n.EKSName != "" {
			w.Prefix = n.EKSName
		}
		if w.Version == "" {
			w.Version = e.Cluster.Version
		}
		w.Zones, _ = g.Zones(n.SubnetIDs)
		e.NodeGroups = append(e.NodeGroups, w)
	}
	for _, a := range g.Addons() {
		e.Addons = append(e.Addons, AddonWant{Name: a.Name, Version: a.Version})
	}
	for _, d := range g.Databases() {
		e.Databases = append(e.Databases, DatabaseWant{
			ID: d.Identifier, MultiAZ: d.MultiAZ, DeletionProtection: d.DeletionProtection,
			StorageEncrypted: d.StorageEncrypted, KMSKey: d.KMSKeyID != "", BackupRetention: d.BackupRetentionDays,
		})
	}
	for _, b := range g.Buckets() {
		if !b.Legacy {
			e.Buckets = append(e.Buckets, BucketWant{Logical: b.Resource.Name, Name: b.Name, Prefix: b.Prefix,
				Versioning: b.Versioning, SSE: b.SSE, PublicAccessBlock: b.PublicAccessBlock})
		}
	}
	for _, l := range g.LogGroups() {
		e.LogGroups = append(e.LogGroups, LogGroupWant{Name: l.Name, RetentionDays: l.RetentionDays, KMSKey: l.KMSKeyID != ""})
	}
	return &e, nil
}

// InAccount returns e with the account the graph was evaluated in
// replaced, in resource names (the access-log bucket's, for one), by the
// live account.
func (e Expected) InAccount(live string) *Expected {
	if e.Account == "" {
		return &e
	}
	e.Buckets = slices.Clone(e.Buckets)
	for i := range e.Buckets {
		b := &e.Buckets[i]
		b.Name = strings.ReplaceAll(b.Name, e.Account, live)
		b.Prefix = strings.ReplaceAll(b.Prefix, e.Account, live)
	}
	e.LogGroups = slices.Clone(e.LogGroups)
	for i := range e.LogGroups {
		e.LogGroups[i].Name = strings.ReplaceAll(e.LogGroups[i].Name, e.Account, live)
	}
	e.Account = live
	return &e
}

// label shortens a node group prefix ("general-") to its role ("general").
func label(prefix string) string { return strings.TrimSuffix(prefix, "-") }
