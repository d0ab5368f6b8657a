// Package criticalpath estimates the wall time of a stack's first deploy
// from the evaluated graph's dependencies and typical provisioning times
// per resource type, and names the critical path.
package criticalpath

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Typical is a resource type's typical create time and where it comes from.
type Typical struct {
	Duration time.Duration
	Source   string
}

// Sources of the figures below, named once.
const (
	srcEKS     = "AWS EKS User Guide, create a cluster (provisioning takes several minutes; ~10 min observed with eksctl/Terraform)"
	srcMNG     = "AWS EKS User Guide, managed node groups (nodes join in ~3-5 min)"
	srcRDS     = "AWS RDS User Guide, creating a DB instance (can take up to 20 min; Multi-AZ ~15-20 min)"
	srcNAT     = "AWS VPC User Guide, NAT gateways (pending to available in ~1-2 min)"
	srcAddon   = "AWS EKS User Guide, add-ons (ACTIVE in ~1-2 min once nodes exist)"
	srcHelm    = "helm --wait default timeout 5 min; typical chart rollout 1-3 min"
	srcVPCE    = "AWS PrivateLink guide (interface endpoint available in ~1-2 min; gateway seconds)"
	srcIAM     = "AWS IAM User Guide, eventual consistency (seconds)"
	srcDefault = "single control-plane API call (seconds)"
	srcSQS     = "Amazon SQS Developer Guide, creating a queue (a new queue can take up to a minute to become available)"
	srcNoPods  = "chart renders no workload (custom resources only): helm --wait has no rollout to wait for; applying takes seconds"
)

// Typicals maps type tokens to typical create times. Types not listed take
// DefaultTypical; components and providers take no time of their own.
var Typicals = map[string]Typical{
	typetoken.Cluster:      {10 * time.Minute, srcEKS},
	typetoken.NodeGroup:    {4 * time.Minute, srcMNG},
	typetoken.DBInstance:   {10 * time.Minute, srcRDS},
	typetoken.NatGateway:   {2 * time.Minute, srcNAT},
	typetoken.Addon:        {90 * time.Second, srcAddon},
	typetoken.HelmRelease:  {3 * time.Minute, srcHelm},
	typetoken.VpcEndpoint:  {90 * time.Second, srcVPCE},
	typetoken.Role:         {10 * time.Second, srcIAM},
	typetoken.OIDCProvider: {10 * time.Second, srcIAM},
	typetoken.SQSQueue:     {time.Minute, srcSQS},
}

// WorkloadFreeCharts are the charts (by name) that render no pod, only
// custom resources: their releases are applied, not rolled out. A test
// reads the charts in third_party/charts to keep this true.
var WorkloadFreeCharts = map[string]bool{
	"kserve-crd":             true,
	"kserve-runtime-configs": true,
	"karpenter-crd":          true,
}

// DefaultTypical is the create time of a resource type not in Typicals.
var DefaultTypical = Typical{5 * time.Second, srcDefault}

// rdsMultiAZ is the create time of a Multi-AZ RDS instance.
var rdsMultiAZ = Typical{18 * time.Minute, srcRDS}

// TypicalOf returns the typical create time of one resource.
func TypicalOf(r plan.Resource) Typical {
	if !r.Custom || strings.HasPrefix(r.Type, typetoken.ProviderPrefix) {
		return Typical{0, "no time of its own"}
	}
	if r.Type == typetoken.DBInstance {
		if v, _ := r.Input("multiAz"); v == true {
			return rdsMultiAZ
		}
	}
	if r.Type == typetoken.HelmRelease {
		if chart, _ := r.Input("chart"); WorkloadFreeCharts[path.Base(fmt.Sprint(chart))] {
			return Typical{15 * time.Second, srcNoPods}
		}
	}
	if t, ok := Typicals[r.Type]; ok {
		return t
	}
	return DefaultTypical
}
