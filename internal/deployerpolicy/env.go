package deployerpolicy

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// account stands for the deploying role's own account in the policy: IAM
// substitutes the variable when it evaluates a request.
const account = "${aws:PrincipalAccount}"

// providerType is the AWS provider's resource type in the graph.
const providerType = "pulumi:providers:aws"

// env is what the policy takes from the graph rather than from constants:
// the partition and its DNS suffix, the region and the provider's default
// tags (which every resource the provider creates carries).
type env struct {
	partition, dnsSuffix, region string
	tags                         map[string]string
	// evaluated is the account the graph was evaluated in.
	evaluated string
}

// graphEnv reads the environment from g. The partition is the one of
// every ARN the program built (from getPartition); the DNS suffix is the
// partition's reverse DNS prefix, reversed, as it heads the name of the
// VPC endpoint services the program declares (com.amazonaws.<region>.s3
// in aws, cn.com.amazonaws.<region>.s3 in aws-cn).
func graphEnv(g *plan.Graph) (env, error) {
	e := env{evaluated: g.Account}
	for _, p := range g.ByType(providerType) {
		e.region = p.String("region")
		if _, ok := p.Input("defaultTags"); ok {
			e.tags = p.StringMap("defaultTags.tags")
			if e.tags == nil {
				e.tags = map[string]string{}
			}
		}
	}
	if e.region == "" {
		return e, fmt.Errorf("deployer policy: the graph has no AWS provider with a region")
	}
	parts := map[string]bool{}
	for _, r := range g.Resources {
		walkStrings(r.Inputs, func(s string) {
			if rest, ok := strings.CutPrefix(s, "arn:"); ok {
				if p, _, ok := strings.Cut(rest, ":"); ok && p != "" {
					parts[p] = true
				}
			}
		})
	}
	if len(parts) != 1 {
		return e, fmt.Errorf("deployer policy: the graph's ARNs name partitions %v, want exactly one", sortedKeys(parts))
	}
	e.partition = sortedKeys(parts)[0]
	for _, ep := range g.VpcEndpoints() {
		name := ep.Service
		if prefix, _, ok := strings.Cut(name, "."+e.region+"."); ok {
			labels := strings.Split(prefix, ".")
			slices.Reverse(labels)
			e.dnsSuffix = strings.Join(labels, ".")
		}
	}
	if e.dnsSuffix == "" {
		return e, fmt.Errorf("deployer policy: the graph declares no VPC endpoint service in %s to take the partition's DNS suffix from", e.region)
	}
	return e, nil
}

// arn builds an ARN in the stack's partition and the deploying account.
func (e env) arn(service, region, resource string) string {
	acct := account
	if service == "s3" {
		acct = ""
	}
	return "arn:" + e.partition + ":" + service + ":" + region + ":" + acct + ":" + resource
}

// principal is a service's principal name ("ec2" -> ec2.amazonaws.com).
func (e env) principal(service string) string { return service + "." + e.dnsSuffix }

// via is a service's kms:ViaService value in the stack's region.
func (e env) via(service string) string { return service + "." + e.region + "." + e.dnsSuffix }

// principals maps service names to their principals.
func (e env) principals(services []string) []string {
	out := make([]string, 0, len(services))
	for _, s := range services {
		out = append(out, e.principal(s))
	}
	return uniqueSorted(out)
}

// accountless replaces the account the graph was evaluated in with the
// policy variable, so a name the program derives from the account matches
// the deploying account's.
func (e env) accountless(s string) string {
	if e.evaluated == "" {
		return s
	}
	return strings.ReplaceAll(s, e.evaluated, account)
}

var certificateARN = regexp.MustCompile(`arn:[a-z-]+:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+`)

// certificates are the ACM certificates the graph's inputs name.
func certificates(g *plan.Graph) []string {
	var out []string
	for _, r := range g.Resources {
		walkStrings(r.Inputs, func(s string) { out = append(out, certificateARN.FindAllString(s, -1)...) })
	}
	return uniqueSorted(out)
}

func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkStrings(x[k], f)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	}
}
