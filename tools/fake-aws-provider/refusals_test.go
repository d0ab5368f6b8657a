package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// TestCheckRefusesWhatTheSchemaAndRulesRefuse checks inputs of one kind of
// defect each against the schema table and the request rules.
func TestCheckRefusesWhatTheSchemaAndRulesRefuse(t *testing.T) {
	const rds, sg, ng = "aws:rds/instance:Instance", "aws:ec2/securityGroup:SecurityGroup", "aws:eks/nodeGroup:NodeGroup"
	db := map[string]any{"instanceClass": "db.t4g.micro", "engine": "postgres", "allocatedStorage": 20, "skipFinalSnapshot": true,
		"vpcSecurityGroupIds": []any{"sg-1"}, "tags": map[string]any{"Name": "mlflow"}}
	with := func(base map[string]any, k string, v any) map[string]any {
		out := map[string]any{}
		for bk, bv := range base {
			out[bk] = bv
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	nodes := map[string]any{"clusterName": "c", "nodeRoleArn": "arn:aws:iam::123456789012:role/n", "subnetIds": []any{"subnet-1"},
		"scalingConfig": map[string]any{"minSize": 0, "maxSize": 2, "desiredSize": 0}}
	tests := []struct {
		name, typ string
		in        map[string]any
		want      string // "" when Check passes
	}{
		{"valid instance", rds, db, ""},
		{"valid node group", ng, nodes, ""},
		{"required input missing", rds, with(db, "instanceClass", nil), `The argument "instanceClass" is required`},
		{"nested required input missing", ng, with(nodes, "scalingConfig", map[string]any{"minSize": 0, "desiredSize": 0}), `The argument "scalingConfig.maxSize" is required`},
		{"number expected", rds, with(db, "allocatedStorage", "twenty"), "allocatedStorage: expected a number, got string"},
		{"boolean expected", rds, with(db, "skipFinalSnapshot", []any{"yes"}), "skipFinalSnapshot: expected a boolean"},
		{"list expected", rds, with(db, "vpcSecurityGroupIds", "sg-1"), "vpcSecurityGroupIds: expected a list"},
		{"map of strings", rds, with(db, "tags", map[string]any{"Name": []any{"x"}}), "tags.Name: expected a string"},
		{"catalogue: security-group description (N1)", sg, map[string]any{"description": "MLflow's database"}, "description"},
		{"catalogue: tag value", rds, with(db, "tags", map[string]any{"Name": strings.Repeat("v", 257)}), "tags"},
		{"type the schema lacks", "aws:sns/topicSubscription:TopicSubscription", map[string]any{}, "no schema of aws:sns/topicSubscription:TopicSubscription"},
	}
	p := configured(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urnOf(tt.typ, "x"),
				News: props(t, resource.NewPropertyMapFromMap(tt.in))})
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, f := range resp.GetFailures() {
				reasons = append(reasons, f.GetReason())
			}
			got := strings.Join(reasons, "; ")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("failures %q, want one containing %q", got, tt.want)
			}
		})
	}
}

// TestDeleteRefusesWhatAWSRefuses deletes what AWS refuses to delete.
func TestDeleteRefusesWhatAWSRefuses(t *testing.T) {
	t.Setenv(EnvObjects, "artifacts-123, logs-bucket")
	const rds, bucket = "aws:rds/instance:Instance", "aws:s3/bucketV2:BucketV2"
	tests := []struct {
		name, typ, res, id string
		olds               map[string]any
		want               string // "" when the delete succeeds
	}{
		{"protected instance", rds, "db", "mlflow", map[string]any{"deletionProtection": true, "skipFinalSnapshot": true},
			"InvalidParameterCombination: Cannot delete protected DB Instance"},
		{"no final snapshot name", rds, "db", "mlflow", map[string]any{"skipFinalSnapshot": false},
			"final_snapshot_identifier is required when skip_final_snapshot is false"},
		{"final snapshot named", rds, "db", "mlflow", map[string]any{"finalSnapshotIdentifier": "mlflow-final"}, ""},
		{"bucket with objects", bucket, "artifacts", "artifacts-123", map[string]any{}, "BucketNotEmpty"},
		{"bucket with objects, by resource name", bucket, "logs-bucket", "logs-0a1b", map[string]any{"forceDestroy": false}, "BucketNotEmpty"},
		{"bucket with objects, forceDestroy", bucket, "artifacts", "artifacts-123", map[string]any{"forceDestroy": true}, ""},
		{"empty bucket", bucket, "other", "other-1", map[string]any{}, ""},
	}
	p := configured(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urnOf(tt.typ, tt.res), Id: tt.id,
				Properties: props(t, resource.NewPropertyMapFromMap(tt.olds))})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("delete refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("delete: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
