package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// TestCallLogRecordsEachOperation: with the log on, a create, a preview
// update, an update, a read and a delete leave one line each but the
// preview's, with the step, URN, physical ID, the configuration's region
// and default tags, the inputs and outputs, and no secret.
func TestCallLogRecordsEachOperation(t *testing.T) {
	p, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "calls.jsonl")
	p.log = newCallLog(file)
	args, _ := structpb.NewStruct(map[string]any{"region": "eu-west-1", "defaultTags": map[string]any{"tags": map[string]any{"Project": "mlops"}}})
	if _, err := p.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: args}); err != nil {
		t.Fatal(err)
	}
	typ, urn := "aws:iam/role:Role", urnOf("aws:iam/role:Role", "cluster-role")
	in := resource.PropertyMap{
		"namePrefix":          resource.NewStringProperty("mlops-dev-cluster-"),
		"permissionsBoundary": resource.NewStringProperty("arn:aws:iam::123456789012:policy/mlops-boundary"),
		"description":         resource.MakeSecret(resource.NewStringProperty("hunter2")),
	}
	resp, err := p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urn, Properties: props(t, in)})
	if err != nil {
		t.Fatal(err)
	}
	id := resp.GetId()
	for _, preview := range []bool{true, false} {
		if _, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urn, Id: id, News: props(t, in), Preview: preview}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Read(context.Background(), &pulumirpc.ReadRequest{Urn: urn, Id: id, Properties: resp.GetProperties(), Inputs: props(t, in)}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urn, Id: id, Properties: resp.GetProperties(), OldInputs: props(t, in)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "hunter2") {
		t.Errorf("the log holds a secret:\n%s", b)
	}
	var steps []string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		var op Operation
		if err := json.Unmarshal(sc.Bytes(), &op); err != nil {
			t.Fatalf("%s: %v", sc.Text(), err)
		}
		steps = append(steps, op.Step)
		if op.Type != typ || op.Region != "eu-west-1" || op.DefaultTags["Project"] != "mlops" || op.Inputs["namePrefix"] != "mlops-dev-cluster-" {
			t.Errorf("line %+v", op)
		}
		if op.URN != urn || op.ID != id || op.Outputs["arn"] != "arn:aws:iam::123456789012:role/"+id || op.Inputs["description"] != "[secret]" {
			t.Errorf("line %+v, want the role %s", op, id)
		}
	}
	if got := strings.Join(steps, ","); got != "create,update,read,delete" {
		t.Errorf("steps %s, want create,update,read,delete", got)
	}
}

// TestCallLogRecordsInvokes: a data source call leaves a line with its
// token, the invoke step, its arguments and its answer.
func TestCallLogRecordsInvokes(t *testing.T) {
	p := configured(t, "")
	file := filepath.Join(t.TempDir(), "calls.jsonl")
	p.log = newCallLog(file)
	tok := "aws:index/getCallerIdentity:getCallerIdentity"
	if _, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tok}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var op Operation
	if err := json.Unmarshal(b, &op); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if op.Type != tok || op.Step != stepInvoke || op.Outputs["accountId"] != AccountID {
		t.Errorf("line %+v, want the invoke of %s answered with account %s", op, tok, AccountID)
	}
}
