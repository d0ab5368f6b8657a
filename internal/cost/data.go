package cost

import (
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"strings"
)

// database prices each RDS instance (Multi-AZ doubles the instance and the
// storage) and its allocated storage.
func (b *builder) database() {
	for _, db := range b.g.Databases() {
		class, engine, isMulti := db.InstanceClass, db.Engine, db.MultiAZ
		az, factor := "single-AZ", 1.0
		if isMulti {
			az, factor = "Multi-AZ", 2
		}
		res := shortName(db.Resource.URN)
		b.add(Line{Group: GroupRDS, Item: "instance", Resource: res, Config: fmt.Sprintf("%s %s, %s", class, engine, az),
			Summary: class + ", " + az, Commit: CommitRDS},
			"rds/"+engine+"/"+class, b.hours().Scale(factor))
		gb, maxGB := float64(db.AllocatedStorage), float64(db.MaxAllocatedStorage)
		st := db.StorageType
		if st == "" {
			st = "gp2"
		}
		cfg := fmt.Sprintf("%g GB %s allocated (autoscaling to %g GB not assumed), %s", gb, st, maxGB, az)
		l := Line{Group: GroupRDS, Item: "storage", Resource: res, Config: cfg}
		if _, ok := b.cat.Lookup("rds/" + st + "-multi-az"); isMulti && ok {
			b.add(l, "rds/"+st+"-multi-az", Range{gb, gb})
			continue
		}
		b.add(l, "rds/"+st, Range{gb * factor, gb * factor})
	}
}

// cloudWatch prices log ingestion (usage per log-group prefix, split among
// the groups the graph declares), log storage (derived from each group's
// retention unless the usage file sets it) and Container Insights.
func (b *builder) cloudWatch() {
	groups := b.g.LogGroups()
	if len(groups) > 0 {
		b.logs(groups)
	}
	for _, a := range b.g.Addons() {
		if a.Name != plan.ContainerInsightsAddon {
			continue
		}
		mo := b.u.ContainerInsightsMO
		b.add(Line{Group: GroupCloudWatch, Item: "Container Insights", Resource: shortName(a.Resource.URN), Summary: "Insights",
			Config: fmt.Sprintf("enhanced observability, %g-%g M observations", mo.Low, mo.High),
			Usage:  []string{"containerInsightsMillionObservations"}}, "containerinsights/observations", mo)
	}
}

func (b *builder) logs(groups []plan.LogGroup) {
	perPrefix := map[string]float64{}
	for _, g := range groups {
		perPrefix[b.logPrefix(g.Name)]++
	}
	var ingest, stored Range
	var retentions []string
	for _, g := range groups {
		p := b.logPrefix(g.Name)
		r := b.u.OtherLogGroupGB
		if p != "" {
			r = b.u.LogIngestedGB[p].Scale(1 / perPrefix[p])
		}
		ingest.Low += r.Low
		ingest.High += r.High
		days := float64(g.RetentionDays)
		if days == 0 {
			days = 365 // never expire: a year of logs assumed
		}
		stored.Low += r.Low * days / 30
		stored.High += r.High * days / 30
		retentions = append(retentions, fmt.Sprintf("%g", days))
	}
	b.add(Line{Group: GroupCloudWatch, Item: "Logs ingestion", Summary: fmt.Sprintf("Logs (%d groups)", len(groups)),
		Config: fmt.Sprintf("%d log groups, %.1f-%.1f GB/month", len(groups), ingest.Low, ingest.High),
		Usage:  []string{"logIngestedGB by prefix"}}, "logs/ingest", ingest)
	usage := "derived: ingested x retention/30"
	if s := b.u.LogStoredGB; s.High > 0 {
		stored, usage = s, "logStoredGB"
	}
	b.add(Line{Group: GroupCloudWatch, Item: "Logs storage",
		Config: fmt.Sprintf("retention %s days, %.1f-%.1f GB stored", uniq(retentions), stored.Low, stored.High),
		Usage:  []string{usage}}, "logs/storage", stored)
}

// logPrefix returns the usage key a log group's name falls under, or "".
func (b *builder) logPrefix(name string) string {
	best := ""
	for p := range b.u.LogIngestedGB {
		if strings.HasPrefix(name, p) && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// kms prices customer-managed keys and their requests.
func (b *builder) kms() {
	keys := float64(len(b.g.Keys()))
	if keys == 0 {
		return
	}
	b.add(Line{Group: GroupOther, Item: "KMS keys", Config: fmt.Sprintf("%g customer-managed keys", keys),
		Summary: fmt.Sprintf("%g KMS keys", keys)},
		"kms/key", Range{keys, keys})
	r := b.u.KMSRequests10k
	b.add(Line{Group: GroupOther, Item: "KMS requests", Config: fmt.Sprintf("%g-%g x 10k requests", r.Low, r.High),
		Usage: []string{"kmsRequests10k"}}, "kms/requests", r)
}

func uniq(in []string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return strings.Join(out, "/")
}
