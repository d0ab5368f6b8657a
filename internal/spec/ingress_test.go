package spec

import (
	"errors"
	"testing"
	"time"
)

func TestValidateIngress(t *testing.T) {
	const goodArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	tests := []struct {
		name    string
		sets    []string
		wantErr string // path of the expected error, "" for none
	}{
		{name: "no certificate", sets: nil},
		{name: "acm certificate in region", sets: []string{"ingress.certificateArn=" + goodArn}},
		{name: "not an ARN", sets: []string{"ingress.certificateArn=my-cert"}, wantErr: "ingress.certificateArn"},
		{name: "IAM server certificate", sets: []string{"ingress.certificateArn=arn:aws:iam::123456789012:server-certificate/x"}, wantErr: "ingress.certificateArn"},
		{name: "other region", sets: []string{"ingress.certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}, wantErr: "ingress.certificateArn"},
		{name: "access log bucket", sets: []string{"ingress.accessLogsBucket=alb-logs.example"}},
		{name: "bad access log bucket", sets: []string{"ingress.accessLogsBucket=Bad_Bucket"}, wantErr: "ingress.accessLogsBucket"},
	}
	for _, stack := range []string{"dev", "prod"} {
		for _, tt := range tests {
			t.Run(stack+"/"+tt.name, func(t *testing.T) {
				o := Overrides{}
				for _, s := range tt.sets {
					if err := o.ParseSet(s); err != nil {
						t.Fatal(err)
					}
				}
				if stack == "dev" {
					if err := o.ParseSet("clusterEndpointPublicAccessCidrs=[203.0.113.0/24]"); err != nil {
						t.Fatal(err)
					}
				}
				_, _, err := Resolve(Input{Stack: stack, Overrides: o, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
				var errs Errors
				if err != nil && !errors.As(err, &errs) {
					t.Fatalf("unexpected error type: %v", err)
				}
				if tt.wantErr == "" {
					if err != nil {
						t.Fatalf("want no error, got %v", err)
					}
					return
				}
				if len(errs) != 1 || errs[0].Path != tt.wantErr {
					t.Fatalf("want exactly one error on %s, got %v", tt.wantErr, err)
				}
			})
		}
	}
}
