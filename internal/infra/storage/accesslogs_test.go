package storage_test

import (
	"regexp"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
)

// awsLegacyRegions are the regions of the table in the Elastic Load
// Balancing User Guide, "Enable access logs for your Application Load
// Balancer", step 2, "Regions available before August 2022"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
var awsLegacyRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-southeast-3",
	"ap-south-1", "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
	"ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-south-1", "eu-west-3", "eu-north-1",
	"me-south-1", "sa-east-1",
}

// newerRegions opened in or after August 2022: the service principal.
var newerRegions = []string{
	"ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-west-1", "eu-central-2",
	"eu-south-2", "il-central-1", "me-central-1", "mx-central-1",
}

func TestELBLogDeliveryPrincipalForEveryRegion(t *testing.T) {
	account := regexp.MustCompile(`^arn:aws:iam::\d{12}:root$`)
	for _, r := range awsLegacyRegions {
		p := storage.ELBLogDeliveryPrincipal(r, "aws")
		if a, _ := p["AWS"].(string); !account.MatchString(a) {
			t.Errorf("%s: principal %v lacks the regional ELB account AWS's table lists", r, p)
		}
	}
	for _, r := range newerRegions {
		p := storage.ELBLogDeliveryPrincipal(r, "aws")
		if p["Service"] != storage.ELBLogDeliveryService || p["AWS"] != nil {
			t.Errorf("%s: principal %v, want the log delivery service only", r, p)
		}
	}
	if p := storage.ELBLogDeliveryPrincipal("us-gov-west-1", "aws-us-gov"); p["AWS"] != "arn:aws-us-gov:iam::048591011584:root" {
		t.Errorf("GovCloud principal %v does not use the partition", p)
	}
}
