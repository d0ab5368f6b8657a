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
		sns.Nodes = append(sns.Nodes, b.node("sns", t, lines(t.Name, "alert topic "+str(t, "name")), style["data"]))
	}
	for _, q := range b.byType(typetoken.SQSQueue) {
		sns.Nodes = append(sns.Nodes, b.node("sqs", q, lines(q.Name, "interruption queue "+str(q, "name"), "fed by EventBridge"), style["data"]))
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
func databaseLabel(db plan.Resource) string {
	engine := str(db, "engine")
	if n, ok := engines[engine]; ok {
		engine = n
	}
	az := "Single-AZ"
	if v, _ := flag(db, "multiAz"); v {
		az = "Multi-AZ"
	}
	return lines(db.Name, engine+" "+str(db, "engineVersion"), str(db, "instanceClass")+", "+az)
}

// bucketLabel is the logical name and the bucket name, or its prefix
// followed by '*'.
func bucketLabel(bk plan.Resource) string {
	name := str(bk, "bucket")
	if name == "" && str(bk, "bucketPrefix") != "" {
		name = str(bk, "bucketPrefix") + "*"
	}
	return lines(bk.Name, name)
}

// keyLabel is the logical name and whether the key rotates.
func keyLabel(k plan.Resource) string {
	rotation := "rotation off"
	if v, _ := flag(k, "enableKeyRotation"); v {
		rotation = "rotation on"
	}
	return lines(k.Name, rotation)
}
