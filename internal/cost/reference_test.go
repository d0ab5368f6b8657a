package cost

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// pricesPath is the repository's copy of the reference price list
// (provenance in third_party/reference/README.md).
var pricesPath = filepath.Join("..", "..", "third_party", "reference", "aws-prices-eu-west-1.md")

// referenceFigure names a dollar figure of the reference: its row's Item
// and the figure's place in the row's Price column (0 is the first "$").
type referenceFigure struct {
	item string
	nth  int
}

// fromReference maps each eu-west-1 catalogue price whose source is the
// reference ("ref: ...") to the figure it must equal.
var fromReference = map[string]referenceFigure{
	"eks/standard":                   {"EKS control plane, standard support", 0},
	"eks/extended":                   {"EKS control plane, extended support", 0},
	"ec2/m5.xlarge":                  {"m5.xlarge", 0},
	"ec2/m5.2xlarge":                 {"m5.2xlarge", 0},
	"ec2/m6g.xlarge":                 {"m6g.xlarge", 0},
	"ec2/m7g.xlarge":                 {"m7g.xlarge", 0},
	"ec2/c5.4xlarge":                 {"c5.4xlarge", 0},
	"ec2/c7g.4xlarge":                {"c7g.4xlarge", 0},
	"ec2/g4dn.xlarge":                {"g4dn.xlarge", 0},
	"ec2/g5.xlarge":                  {"g5.xlarge", 0},
	"ec2/t3.large":                   {"t3.large", 0},
	"nat/hour":                       {"NAT gateway", 0},
	"nat/gb":                         {"NAT gateway", 1},
	"ipv4/hour":                      {"Public IPv4 address (incl. NAT EIPs, ALB IPs)", 0},
	"rds/postgres/db.t3.medium":      {"RDS PostgreSQL db.t3.medium", 0},
	"rds/postgres/db.t3.small":       {"RDS PostgreSQL db.t3.small", 0},
	"rds/postgres/db.t4g.medium":     {"RDS PostgreSQL db.t4g.medium", 0},
	"rds/gp3":                        {"RDS gp3 storage", 0},
	"rds/gp3-multi-az":               {"RDS gp3 storage", 1},
	"ebs/gp3":                        {"EBS gp3", 0},
	"s3/standard":                    {"S3 Standard", 0},
	"alb/hour":                       {"ALB", 0},
	"alb/lcu":                        {"ALB", 1},
	"logs/ingest":                    {"CloudWatch Logs", 0},
	"logs/storage":                   {"CloudWatch Logs", 1},
	"containerinsights/observations": {"Container Insights (enhanced observability for EKS)", 0},
	"kms/key":                        {"KMS", 0},
	"kms/requests":                   {"KMS", 1},
	"vpce/interface":                 {"VPC interface endpoint", 0},
	"vpce/interface-gb":              {"VPC interface endpoint", 2}, // 1 is the monthly figure of 0
	"vpce/gateway":                   {"VPC gateway endpoint (S3, DynamoDB)", 0},
}

// notPriced lists the reference rows the catalogue has no price for, each
// with the reason.
var notPriced = map[string]string{
	"Spot discount": "a usage assumption, not a price (usage.yaml spotDiscount)",
}

// readPrices reads the reference's price table: Item -> the dollar figures
// of its Price column, in order ("free" is one figure, 0).
func readPrices(t *testing.T) map[string][]float64 {
	t.Helper()
	f, err := os.Open(pricesPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dollars := regexp.MustCompile(`\$([0-9]+(?:\.[0-9]+)?)`)
	out := map[string][]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) != 6 || !strings.HasPrefix(sc.Text(), "| ") {
			continue
		}
		item, price := strings.TrimSpace(cells[1]), strings.TrimSpace(cells[2])
		if item == "Item" || strings.Trim(item, "-") == "" {
			continue
		}
		var figures []float64
		if price == "free" {
			figures = []float64{0}
		}
		for _, m := range dollars.FindAllStringSubmatch(price, -1) {
			v, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				t.Fatal(err)
			}
			figures = append(figures, v)
		}
		out[item] = figures
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 20 {
		t.Fatalf("read only %d rows from %s: the table format changed", len(out), pricesPath)
	}
	return out
}

// TestCataloguePricesMatchTheReference compares every eu-west-1 price the
// catalogue attributes to the reference with the reference file itself, so
// an edit to the catalogue (or a refreshed reference) that changes a price
// on one side only fails here, naming the price.
func TestCataloguePricesMatchTheReference(t *testing.T) {
	ref := readPrices(t)
	cat, err := LoadCatalogue("eu-west-1", "")
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(cat.Prices))
	for k := range cat.Prices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	used := map[string]bool{}
	for _, k := range keys {
		p := cat.Prices[k]
		fig, mapped := fromReference[k]
		if strings.HasPrefix(p.Source, "ref:") != mapped {
			t.Errorf("%s: source %q, but fromReference maps it: %v (a price from the reference says \"ref:\" and is mapped; a derived one is neither)", k, p.Source, mapped)
		}
		if !mapped {
			continue
		}
		used[fig.item] = true
		figures, ok := ref[fig.item]
		if !ok || fig.nth >= len(figures) {
			t.Errorf("%s: the reference has no figure %d in row %q (%v)", k, fig.nth, fig.item, figures)
			continue
		}
		if want := figures[fig.nth]; p.USD != want {
			t.Errorf("%s: the catalogue says $%v per %s, the reference's %q says $%v", k, p.USD, p.Unit, fig.item, want)
		}
	}
	for item := range ref {
		if !used[item] && notPriced[item] == "" {
			t.Errorf("the reference prices %q, which the catalogue neither uses nor lists in notPriced", item)
		}
	}
}
