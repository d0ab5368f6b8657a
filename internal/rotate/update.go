package rotate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
)

// Options are one rotation's settings.
type Options struct {
	Cluster string
	// Nodegroup is the live node group's name.
	Nodegroup string
	// Force replaces nodes even when a PDB blocks an eviction (EKS's
	// force flag); off by default.
	Force bool
	// Poll is the interval between status reads (30s when zero).
	Poll time.Duration
	// Progress, when set, hears each status read.
	Progress func(status string, elapsed time.Duration)
}

// Result is a finished rotation.
type Result struct {
	UpdateID string
	// Resumed says an update already in progress was watched instead of
	// starting a new one.
	Resumed bool
	Status  string
	Elapsed time.Duration
}

// FailedError is an update EKS ended as Failed or Cancelled.
type FailedError struct {
	Nodegroup, UpdateID, Status string
	Errors                      []ekstypes.ErrorDetail
}

func (e *FailedError) Error() string {
	var details []string
	for _, d := range e.Errors {
		details = append(details, fmt.Sprintf("%s: %s", d.ErrorCode, aws.ToString(d.ErrorMessage)))
	}
	return fmt.Sprintf("node group %s update %s %s: %s", e.Nodegroup, e.UpdateID, strings.ToLower(e.Status), strings.Join(details, "; "))
}

// Rotate updates the node group to the latest AMI release of its version
// (replacing every node) and waits until EKS reports the end. An update
// already in progress on the group (an interrupted rotation) is resumed:
// watched, not started again. ctx bounds the wait; when it ends the
// update goes on in EKS and the error says how to resume.
func Rotate(ctx context.Context, c *eks.Client, o Options, log *slog.Logger) (*Result, error) {
	start := time.Now()
	res := &Result{}
	id, err := inProgress(ctx, c, o)
	if err != nil {
		return nil, err
	}
	if id != "" {
		res.UpdateID, res.Resumed = id, true
		log.Info("resuming the node group update in progress", "nodegroup", o.Nodegroup, "update", id)
	} else {
		out, err := c.UpdateNodegroupVersion(ctx, &eks.UpdateNodegroupVersionInput{
			ClusterName: aws.String(o.Cluster), NodegroupName: aws.String(o.Nodegroup), Force: o.Force})
		if err != nil {
			return nil, fmt.Errorf("starting the update of node group %s: %w", o.Nodegroup, err)
		}
		res.UpdateID = aws.ToString(out.Update.Id)
		log.Info("node group update started", "nodegroup", o.Nodegroup, "update", res.UpdateID, "force", o.Force)
	}
	poll := o.Poll
	if poll <= 0 {
		poll = 30 * time.Second
	}
	for {
		out, err := c.DescribeUpdate(ctx, &eks.DescribeUpdateInput{Name: aws.String(o.Cluster), NodegroupName: aws.String(o.Nodegroup), UpdateId: aws.String(res.UpdateID)})
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				return res, interrupted(o, res.UpdateID, err)
			}
			return res, fmt.Errorf("reading update %s of node group %s: %w", res.UpdateID, o.Nodegroup, err)
		}
		res.Status, res.Elapsed = string(out.Update.Status), time.Since(start)
		if o.Progress != nil {
			o.Progress(res.Status, res.Elapsed)
		}
		switch out.Update.Status {
		case ekstypes.UpdateStatusSuccessful:
			return res, nil
		case ekstypes.UpdateStatusFailed, ekstypes.UpdateStatusCancelled:
			return res, &FailedError{Nodegroup: o.Nodegroup, UpdateID: res.UpdateID, Status: res.Status, Errors: out.Update.Errors}
		}
		select {
		case <-ctx.Done():
			return res, interrupted(o, res.UpdateID, ctx.Err())
		case <-time.After(poll):
		}
	}
}

func interrupted(o Options, id string, err error) error {
	return fmt.Errorf("stopped watching update %s of node group %s (it continues in EKS; run the rotation again to resume watching it): %w", id, o.Nodegroup, err)
}

// inProgress returns the ID of the group's update in progress, if any.
func inProgress(ctx context.Context, c *eks.Client, o Options) (string, error) {
	p := eks.NewListUpdatesPaginator(c, &eks.ListUpdatesInput{Name: aws.String(o.Cluster), NodegroupName: aws.String(o.Nodegroup)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("listing the updates of node group %s: %w", o.Nodegroup, err)
		}
		for _, id := range page.UpdateIds {
			out, err := c.DescribeUpdate(ctx, &eks.DescribeUpdateInput{Name: aws.String(o.Cluster), NodegroupName: aws.String(o.Nodegroup), UpdateId: aws.String(id)})
			if err != nil {
				return "", fmt.Errorf("reading update %s of node group %s: %w", id, o.Nodegroup, err)
			}
			if out.Update.Status == ekstypes.UpdateStatusInProgress {
				return id, nil
			}
		}
	}
	return "", nil
}

// FindNodegroup returns the live name of the group whose name starts with
// prefix (the program names them general-…, training-…, gpu-…).
func FindNodegroup(ctx context.Context, c *eks.Client, cluster, prefix string) (string, error) {
	found, err := Nodegroups(ctx, c, cluster, prefix)
	if err != nil {
		return "", err
	}
	if len(found) != 1 {
		return "", fmt.Errorf("cluster %s has %d node groups named %s*: %v", cluster, len(found), prefix, found)
	}
	return found[0], nil
}

// Nodegroups lists the live names of the cluster's node groups whose name
// starts with prefix.
func Nodegroups(ctx context.Context, c *eks.Client, cluster, prefix string) ([]string, error) {
	var found []string
	p := eks.NewListNodegroupsPaginator(c, &eks.ListNodegroupsInput{ClusterName: aws.String(cluster)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the node groups of %s: %w", cluster, err)
		}
		for _, n := range page.Nodegroups {
			if strings.HasPrefix(n, prefix) {
				found = append(found, n)
			}
		}
	}
	return found, nil
}
