package diagram

import (
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// engines are the display names of RDS engines.
var engines = map[string]string{"postgres": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB"}

// data draws RDS, S3, KMS and SNS, each in its own box.
func (b *builder) data() []Cluster {
	var out []Cluster
	rds := Cluster{ID: "cluster_rds", Label: "RDS", Attrs: style["rds"]}
	for _, db := range b.byType(typetoken.DBInstance) {
		rds.Nodes = append(rds.Nodes, b.node("rds", db, databaseLabel(db), style["data"]))
	}
	s3 := Cluster{ID: "cluster_s3", Label: "S3", Attrs: style["s3"]}
	for _, bk := range b.byType(typetoken.Bucket, typetoken.BucketLegacy) {
		s3.Nodes = append(s3.Nodes, b.node("s3", bk, bucketLabel(bk), style["data"]))
	}
	kms := Cluster{ID: "cluster_kms", Label: "KMS", Attrs: style["kms"]}
	for _, k := range b.byType(typetoken.KMSKey) {
		kms.Nodes = append(kms.Nodes, b.node("kms", k, keyLabel(k), style["key"]))
	}
	sns := Cluster{ID: "cluster_sns", Label: "SNS / SQS", Attrs: style["s3"]}
	for _, t := range b.byType(typetoken.SNSTopic) {
		sns.Nodes = append(sns.Nodes, b.node("sns", t, lines(t.Name, "alert topic "+t.DeclaredName()), style["data"]))
	}
	for _, q := range b.byType(typetoken.SQSQueue) {
		sns.Nodes = append(sns.Nodes, b.node("sqs", q, lines(q.Name, "interruption queue "+q.String("name"), "fed by EventBridge"), style["data"]))
	}
	for _, c := range []Cluster{rds, s3, kms, sns} {
		if len(c.Nodes) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// databaseLabel is engine and version, instance class and Multi-AZ or
// Single-AZ.
func databaseLabel(r plan.Resource) string {
	db := plan.DatabaseOf(r)
	engine := db.Engine
	if n, ok := engines[engine]; ok {
		engine = n
	}
	az := "Single-AZ"
	if db.MultiAZ {
		az = "Multi-AZ"
	}
	return lines(r.Name, engine+" "+db.EngineVersion, db.InstanceClass+", "+az)
}

// bucketLabel is the logical name and the bucket name, or its prefix
// followed by '*'.
func bucketLabel(bk plan.Resource) string {
	b := plan.BucketOf(bk)
	name := b.Name
	if name == "" && b.Prefix != "" {
		name = b.Prefix + "*"
	}
	return lines(bk.Name, name)
}

// keyLabel is the logical name and whether the key rotates.
func keyLabel(k plan.Resource) string {
	rotation := "rotation off"
	if plan.KeyOf(k).Rotation {
		rotation = "rotation on"
	}
	return lines(k.Name, rotation)
}
