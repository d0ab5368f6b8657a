package cost

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// Component groups of the estimate, in the order of the requirements
// document's Cost Estimate table; Other collects the rest.
const (
	GroupEKS        = "EKS Control Plane"
	GroupGeneral    = "General Nodes"
	GroupTraining   = "Training Nodes"
	GroupGPU        = "GPU Nodes"
	GroupNAT        = "NAT Gateways"
	GroupRDS        = "RDS PostgreSQL"
	GroupS3ALB      = "S3 + ALB"
	GroupCloudWatch = "CloudWatch"
	GroupOther      = "Other"
)

// GroupOrder lists the groups in table order.
var GroupOrder = []string{GroupEKS, GroupGeneral, GroupTraining, GroupGPU, GroupNAT, GroupRDS, GroupS3ALB, GroupCloudWatch, GroupOther}

// Line is the monthly cost of one priced item of one or more resources.
type Line struct {
	Group    string   `json:"group"`
	Item     string   `json:"item"`
	Resource string   `json:"resource,omitempty"`
	Config   string   `json:"configuration"`
	Low      float64  `json:"monthlyLow"`
	High     float64  `json:"monthlyHigh"`
	Prices   []string `json:"prices,omitempty"`
	Usage    []string `json:"usage,omitempty"`
	Unpriced bool     `json:"unpriced,omitempty"`
	Note     string   `json:"note,omitempty"`
	// Commit names the commitment that can cover the line (CommitCompute,
	// CommitRDS), or "" when none does.
	Commit string `json:"commitment,omitempty"`
	// Summary, when set, describes the line's group in the table.
	Summary string `json:"-"`
}

// Estimate is the monthly cost of one evaluated stack.
type Estimate struct {
	Stack         string           `json:"stack"`
	Region        string           `json:"region"`
	Currency      string           `json:"currency"`
	HoursPerMonth float64          `json:"hoursPerMonth"`
	Low           float64          `json:"monthlyLow"`
	High          float64          `json:"monthlyHigh"`
	Lines         []Line           `json:"lines"`
	Unpriced      []string         `json:"unpriced"`
	Warnings      []string         `json:"warnings,omitempty"`
	Prices        map[string]Price `json:"prices"`
	Usage         *Usage           `json:"usage"`
}

// ErrUnpriced marks an estimate that holds unpriced lines: its total is a
// lower bound, never to be read as complete.
var ErrUnpriced = errors.New("unpriced resources")

// Err returns an error naming every unpriced item, or nil.
func (e *Estimate) Err() error {
	if len(e.Unpriced) == 0 {
		return nil
	}
	return fmt.Errorf("stack %s: %w: %s (add them with --prices FILE)", e.Stack, ErrUnpriced, strings.Join(e.Unpriced, "; "))
}

// GroupTotal is the sum of one group's lines.
type GroupTotal struct {
	Group    string
	Config   []string
	Low      float64
	High     float64
	Unpriced bool
}

// Groups sums the lines per group, in GroupOrder, skipping empty groups.
func (e *Estimate) Groups() []GroupTotal {
	var out []GroupTotal
	for _, name := range GroupOrder {
		gt := GroupTotal{Group: name}
		n := 0
		for _, l := range e.Lines {
			if l.Group != name {
				continue
			}
			n++
			gt.Low += l.Low
			gt.High += l.High
			gt.Unpriced = gt.Unpriced || l.Unpriced
			if l.Summary != "" {
				gt.Config = append(gt.Config, l.Summary)
			}
		}
		if n > 0 {
			gt.Low, gt.High = round2(gt.Low), round2(gt.High)
			out = append(out, gt)
		}
	}
	return out
}

// Compute prices every resource of g with cat and u. now decides the EKS
// support status of the cluster's version. Unknown prices become unpriced
// lines listed in Unpriced (see Err); they are never counted as zero.
func Compute(g *plan.Graph, cat *Catalogue, u *Usage, now time.Time) (*Estimate, error) {
	if g == nil || cat == nil || u == nil {
		return nil, fmt.Errorf("cost: graph, catalogue and usage are all required")
	}
	b := &builder{g: g, cat: cat, u: u, now: now, e: &Estimate{
		Stack: g.Stack, Region: cat.Region, Currency: cat.Currency,
		HoursPerMonth: u.HoursPerMonth, Prices: map[string]Price{}, Usage: u, Unpriced: []string{},
	}}
	b.controlPlane()
	b.nodeGroups()
	b.nodePools()
	b.nat()
	b.database()
	b.storageAndALB()
	b.cloudWatch()
	b.kms()
	b.endpoints()
	b.finish()
	return b.e, nil
}

// builder accumulates the lines of one estimate.
type builder struct {
	g   *plan.Graph
	cat *Catalogue
	u   *Usage
	now time.Time
	e   *Estimate
}

// price looks a key up and records it among the prices the estimate used.
func (b *builder) price(key string) (Price, bool) {
	p, ok := b.cat.Lookup(key)
	if ok {
		b.e.Prices[key] = p
	}
	return p, ok
}

// add appends a priced line: qty (a range of units per month) times the
// price of key.
func (b *builder) add(l Line, key string, qty Range) {
	p, ok := b.price(key)
	if !ok {
		b.unpriced(l, key)
		return
	}
	l.Low, l.High = round2(qty.Low*p.USD), round2(qty.High*p.USD)
	l.Prices = append(l.Prices, key)
	b.e.Lines = append(b.e.Lines, l)
}

// unpriced appends an explicit unpriced line and records it.
func (b *builder) unpriced(l Line, key string) {
	l.Unpriced, l.Low, l.High = true, 0, 0
	l.Prices = append(l.Prices, key)
	l.Note = fmt.Sprintf("UNPRICED: no price %q in the %s catalogue", key, b.cat.Region)
	b.e.Lines = append(b.e.Lines, l)
	b.e.Unpriced = append(b.e.Unpriced, fmt.Sprintf("%s (%s): no price %q", l.Item, l.Resource, key))
}

func (b *builder) hours() Range { return Range{b.u.HoursPerMonth, b.u.HoursPerMonth} }

func (b *builder) finish() {
	rank := map[string]int{}
	for i, g := range GroupOrder {
		rank[g] = i
	}
	sort.SliceStable(b.e.Lines, func(i, j int) bool { return rank[b.e.Lines[i].Group] < rank[b.e.Lines[j].Group] })
	for _, l := range b.e.Lines {
		b.e.Low += l.Low
		b.e.High += l.High
	}
	b.e.Low, b.e.High = round2(b.e.Low), round2(b.e.High)
}

// shortName is the last segment of a URN: the resource's name.
func shortName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}
