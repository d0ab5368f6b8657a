package rotate_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/rotate"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func fakeGroup(t *testing.T, ng awsfake.Nodegroup) (*awsfake.Server, *eks.Client) {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	ng.Name, ng.Version, ng.ReleaseVersion = "general-1", "1.35", "1.35.0-20261101"
	srv.PutCluster(awsfake.Cluster{Name: "c", Version: "1.35", Nodegroups: map[string]*awsfake.Nodegroup{"general-1": &ng}})
	return srv, eks.NewFromConfig(srv.Config(awsclient.Options{Backoff: &awsfake.Backoffs{}}))
}

func TestRotateWaitsWithProgress(t *testing.T) {
	srv, c := fakeGroup(t, awsfake.Nodegroup{UpdatePolls: 3})
	srv.Fail("DescribeUpdate", awsfake.TooManyRequests, 1)
	var seen []string
	res, err := rotate.Rotate(context.Background(), c, rotate.Options{Cluster: "c", Nodegroup: "general-1", Poll: time.Millisecond,
		Progress: func(status string, _ time.Duration) { seen = append(seen, status) }}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if res.Resumed || res.Status != "Successful" || strings.Join(seen, ",") != "InProgress,InProgress,Successful" {
		t.Errorf("result %+v, progress %v", res, seen)
	}
	for _, call := range srv.Requests() {
		if call.Op == "UpdateNodegroupVersion" && strings.Contains(call.Params, `"force":true`) {
			t.Errorf("rotation forced by default: %s", call.Params)
		}
	}
}

// TestRotateReportsHalfWayFailure: EKS fails the update half way; the
// error names the group, the update and EKS's error code.
func TestRotateReportsHalfWayFailure(t *testing.T) {
	_, c := fakeGroup(t, awsfake.Nodegroup{UpdatePolls: 4, FailUpdate: "PodEvictionFailure"})
	res, err := rotate.Rotate(context.Background(), c, rotate.Options{Cluster: "c", Nodegroup: "general-1", Poll: time.Millisecond}, quiet)
	var failed *rotate.FailedError
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), "node group general-1 update "+res.UpdateID+" failed: PodEvictionFailure: update of general-1 failed half way") {
		t.Fatalf("%v, want the failure named", err)
	}
}

// TestRotateTimesOutThenResumes: the wait stops at the deadline saying the
// update goes on; the next rotation resumes watching it rather than
// starting another.
func TestRotateTimesOutThenResumes(t *testing.T) {
	srv, c := fakeGroup(t, awsfake.Nodegroup{UpdatePolls: 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	first, err := rotate.Rotate(ctx, c, rotate.Options{Cluster: "c", Nodegroup: "general-1", Poll: 5 * time.Millisecond}, quiet)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "run the rotation again to resume") {
		t.Fatalf("%v, want a deadline that says how to resume", err)
	}
	_, err = c.UpdateNodegroupVersion(context.Background(), &eks.UpdateNodegroupVersionInput{ClusterName: aws.String("c"), NodegroupName: aws.String("general-1")})
	if err == nil {
		t.Fatal("the fake accepted a second update while one runs")
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	second, _ := rotate.Rotate(ctx2, c, rotate.Options{Cluster: "c", Nodegroup: "general-1", Poll: 5 * time.Millisecond}, quiet)
	if !second.Resumed || second.UpdateID != first.UpdateID || srv.Calls("UpdateNodegroupVersion") != 2 {
		t.Errorf("second run %+v (first %s), %d UpdateNodegroupVersion calls (the test's own refused one included)", second, first.UpdateID, srv.Calls("UpdateNodegroupVersion"))
	}
}

func TestFindNodegroup(t *testing.T) {
	_, c := fakeGroup(t, awsfake.Nodegroup{})
	if n, err := rotate.FindNodegroup(context.Background(), c, "c", "general-"); err != nil || n != "general-1" {
		t.Errorf("%q %v", n, err)
	}
	if _, err := rotate.FindNodegroup(context.Background(), c, "c", "gpu-"); err == nil || !strings.Contains(err.Error(), "0 node groups named gpu-*") {
		t.Errorf("missing group: %v", err)
	}
}
