package upgrade

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
)

// ReadLive reads the control plane's, add-ons' and node groups' versions.
func ReadLive(ctx context.Context, c *eks.Client, cluster string) (Live, error) {
	out, err := c.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(cluster)})
	if err != nil {
		return Live{}, fmt.Errorf("reading cluster %s: %w", cluster, err)
	}
	live := Live{Version: aws.ToString(out.Cluster.Version), Addons: map[string]string{}, NodeGroups: map[string]string{}}
	addons := eks.NewListAddonsPaginator(c, &eks.ListAddonsInput{ClusterName: aws.String(cluster)})
	for addons.HasMorePages() {
		page, err := addons.NextPage(ctx)
		if err != nil {
			return Live{}, fmt.Errorf("listing the add-ons of %s: %w", cluster, err)
		}
		for _, name := range page.Addons {
			a, err := c.DescribeAddon(ctx, &eks.DescribeAddonInput{ClusterName: aws.String(cluster), AddonName: aws.String(name)})
			if err != nil {
				return Live{}, fmt.Errorf("reading add-on %s: %w", name, err)
			}
			live.Addons[name] = aws.ToString(a.Addon.AddonVersion)
		}
	}
	groups := eks.NewListNodegroupsPaginator(c, &eks.ListNodegroupsInput{ClusterName: aws.String(cluster)})
	for groups.HasMorePages() {
		page, err := groups.NextPage(ctx)
		if err != nil {
			return Live{}, fmt.Errorf("listing the node groups of %s: %w", cluster, err)
		}
		for _, name := range page.Nodegroups {
			ng, err := c.DescribeNodegroup(ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String(cluster), NodegroupName: aws.String(name)})
			if err != nil {
				return Live{}, fmt.Errorf("reading node group %s: %w", name, err)
			}
			live.NodeGroups[name] = aws.ToString(ng.Nodegroup.Version)
		}
	}
	return live, nil
}

// Blocker is an upgrade insight in ERROR.
type Blocker struct {
	ID, Name, Reason, Recommendation string
}

// BlockedError lists the insights that block the upgrade.
type BlockedError struct {
	Cluster, To string
	Blockers    []Blocker
}

func (e *BlockedError) Error() string {
	lines := make([]string, 0, len(e.Blockers))
	for _, b := range e.Blockers {
		lines = append(lines, fmt.Sprintf("  %s (%s): %s; %s", b.Name, b.ID, b.Reason, b.Recommendation))
	}
	return fmt.Sprintf("upgrade of %s to %s blocked by %d EKS upgrade insight(s) in ERROR:\n%s", e.Cluster, e.To, len(e.Blockers), strings.Join(lines, "\n"))
}

// CheckInsights reads the cluster's upgrade insights for the target
// version and returns a *BlockedError naming each one in ERROR.
func CheckInsights(ctx context.Context, c *eks.Client, cluster, target string) error {
	var blockers []Blocker
	p := eks.NewListInsightsPaginator(c, &eks.ListInsightsInput{ClusterName: aws.String(cluster),
		Filter: &ekstypes.InsightsFilter{Categories: []ekstypes.Category{ekstypes.CategoryUpgradeReadiness}, KubernetesVersions: []string{target}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("listing the upgrade insights of %s: %w", cluster, err)
		}
		for _, s := range page.Insights {
			if s.InsightStatus == nil || s.InsightStatus.Status != ekstypes.InsightStatusValueError {
				continue
			}
			if v := aws.ToString(s.KubernetesVersion); v != "" && v != target {
				continue
			}
			in, err := c.DescribeInsight(ctx, &eks.DescribeInsightInput{ClusterName: aws.String(cluster), Id: s.Id})
			if err != nil {
				return fmt.Errorf("reading upgrade insight %s: %w", aws.ToString(s.Id), err)
			}
			blockers = append(blockers, Blocker{ID: aws.ToString(s.Id), Name: aws.ToString(s.Name),
				Reason: aws.ToString(s.InsightStatus.Reason), Recommendation: aws.ToString(in.Insight.Recommendation)})
		}
	}
	if len(blockers) > 0 {
		return &BlockedError{Cluster: cluster, To: target, Blockers: blockers}
	}
	return nil
}
