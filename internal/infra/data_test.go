package infra_test

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

const (
	tVersioning = typetoken.BucketVersioning
	tPAB        = typetoken.BucketPublicAccessBlock
	tPolicy     = typetoken.BucketPolicy
	tLifecycle  = typetoken.BucketLifecycle
	tParams     = typetoken.DBParameterGroup
)

// dataChecks assert the database, bucket, key and protection items.
func dataChecks() []check {
	return []check{
		{"protection: prod database, bucket and keys are protected", []string{"prod"}, protected(true),
			func(g *plan.Graph) { g.Resources[indexOf(g, tKey)].Protect = false }},
		{"protection: dev stateful resources are not protected", []string{"dev"}, protected(false),
			func(g *plan.Graph) { g.Resources[indexOf(g, tBucket)].Protect = true }},
		{"KMS: rotation on, 30-day deletion window in prod", []string{"prod"}, func(g *plan.Graph) error {
			if err := expectAll(g, tKey, "enableKeyRotation", true); err != nil {
				return err
			}
			return expectAll(g, tKey, "deletionWindowInDays", 30)
		}, func(g *plan.Graph) { set(g, tKey, "keys-logs", "enableKeyRotation", false) }},
		{"RDS: PostgreSQL on db.t3.medium, gp3, password in Secrets Manager", both, func(g *plan.Graph) error {
			db, err := only(g, tDB)
			if err != nil {
				return err
			}
			for path, want := range map[string]any{
				"engine": "postgres", "engineVersion": "17", "instanceClass": "db.t3.medium", "storageType": "gp3",
				"manageMasterUserPassword": true, "copyTagsToSnapshot": true, "performanceInsightsEnabled": true,
				"autoMinorVersionUpgrade": true, "iamDatabaseAuthenticationEnabled": true,
			} {
				if err := expect(db, path, want); err != nil {
					return err
				}
			}
			if db.Inputs["password"] != nil || db.Inputs["username"] == "postgres" {
				return fmt.Errorf("the database sets a password or uses the default user")
			}
			return usesOwnKey(g, db, "performanceInsightsKmsKeyId")
		}, func(g *plan.Graph) { set(g, tDB, "", "password", "hunter2") }},
		{"RDS: parameter group forces SSL", both, func(g *plan.Graph) error {
			p, err := only(g, tParams)
			if err != nil {
				return err
			}
			params, _ := p.Inputs["parameters"].([]any)
			for _, x := range params {
				m, _ := x.(map[string]any)
				if m["name"] == "rds.force_ssl" && m["value"] == "1" {
					return nil
				}
			}
			return fmt.Errorf("rds.force_ssl is not 1 in %v", params)
		}, func(g *plan.Graph) { set(g, tParams, "", "parameters", []any{}) }},
		{"S3: public access blocked, owner enforced, TLS only", both, bucketLockedDown,
			func(g *plan.Graph) { set(g, tPAB, "", "restrictPublicBuckets", false) }},
		{"S3: lifecycle expires noncurrent versions and aborts uploads", both, func(g *plan.Graph) error {
			lc, err := artifact(g, tLifecycle)
			if err != nil {
				return err
			}
			if err := expect(lc, "rules[0].abortIncompleteMultipartUpload.daysAfterInitiation", 7); err != nil {
				return err
			}
			if _, ok := lc.Input("rules[0].noncurrentVersionExpiration.noncurrentDays"); !ok {
				return fmt.Errorf("no noncurrent version expiration")
			}
			return nil
		}, func(g *plan.Graph) { set(g, tLifecycle, "", "rules", []any{}) }},
		{"S3: no force-destroy in prod", []string{"prod"}, func(g *plan.Graph) error {
			b, err := artifact(g, tBucket)
			if err != nil {
				return err
			}
			return expect(b, "forceDestroy", false)
		}, func(g *plan.Graph) { set(g, tBucket, "", "forceDestroy", true) }},
		{"S3: access logs land in an SSE-S3 bucket that admits ELB delivery", both, accessLogBucket,
			func(g *plan.Graph) { drop(g, typetoken.BucketLogging, "") }},
		{"secrets: no plaintext password anywhere in the plan", both, noPlaintextSecrets,
			func(g *plan.Graph) { set(g, tDB, "", "masterPassword", "s3cret") }},
	}
}

// artifact returns the artifact bucket's resource of a type (the storage
// component also declares an access-log bucket).
func artifact(g *plan.Graph, typ string) (plan.Resource, error) {
	for _, r := range g.ByType(typ) {
		if strings.HasPrefix(r.Name, "artifacts") {
			return r, nil
		}
	}
	return plan.Resource{}, fmt.Errorf("no artifact bucket %s", typ)
}

func protected(want bool) func(g *plan.Graph) error {
	return func(g *plan.Graph) error {
		for _, typ := range []string{tDB, tBucket, tKey} {
			for _, r := range g.ByType(typ) {
				if r.Protect != want {
					return fmt.Errorf("%s protect=%v, want %v", r.URN, r.Protect, want)
				}
			}
		}
		return nil
	}
}

func bucketLockedDown(g *plan.Graph) error {
	pab, err := artifact(g, tPAB)
	if err != nil {
		return err
	}
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if err := expect(pab, k, true); err != nil {
			return err
		}
	}
	own, err := artifact(g, typetoken.BucketOwnershipControls)
	if err != nil {
		return err
	}
	if err := expect(own, "rule.objectOwnership", "BucketOwnerEnforced"); err != nil {
		return err
	}
	pol, err := artifact(g, tPolicy)
	if err != nil {
		return err
	}
	doc := fmt.Sprint(pol.Inputs["policy"])
	if !strings.Contains(doc, `"Effect":"Deny"`) || !strings.Contains(doc, `"aws:SecureTransport":"false"`) {
		return fmt.Errorf("bucket policy does not deny plain HTTP: %s", doc)
	}
	return nil
}

// secretNames are input names that hold secret values themselves (names
// such as existingSecret or secretArn only point at one).
var secretNames = map[string]bool{"secret": true, "secretkey": true, "secretaccesskey": true, "token": true, "apikey": true}

// noPlaintextSecrets looks for password-like inputs that are not redacted.
func noPlaintextSecrets(g *plan.Graph) error {
	var walk func(path string, v any) error
	walk = func(path string, v any) error {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if err := walk(path+"."+k, e); err != nil {
					return err
				}
			}
		case []any:
			for i, e := range x {
				if err := walk(fmt.Sprintf("%s[%d]", path, i), e); err != nil {
					return err
				}
			}
		case string:
			last := strings.ToLower(path[strings.LastIndexAny(path, ".]")+1:])
			if (strings.HasSuffix(last, "password") || secretNames[last]) && x != plan.Redacted {
				return fmt.Errorf("%s holds a plaintext value", path)
			}
		}
		return nil
	}
	for _, r := range g.Resources {
		if err := walk(r.Name, r.Inputs); err != nil {
			return err
		}
	}
	return nil
}

func accessLogBucket(g *plan.Graph) error {
	var logs plan.Resource
	for _, b := range g.ByType(tBucket) {
		if strings.HasPrefix(b.Name, "access-logs") {
			logs = b
		}
	}
	name := fmt.Sprint(logs.Inputs["bucket"])
	if logs.URN == "" || !strings.HasSuffix(name, "-access-logs-"+engine.AccountID) {
		return fmt.Errorf("no access-log bucket named for the account (got %q)", name)
	}
	for _, r := range g.ByType(typetoken.BucketEncryption) {
		if r.Inputs["bucket"] == name {
			if err := expect(r, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "AES256"); err != nil {
				return err
			}
		}
	}
	var delivery bool
	for _, p := range g.ByType(tPolicy) {
		doc := fmt.Sprint(p.Inputs["policy"])
		delivery = delivery || p.Inputs["bucket"] == name && strings.Contains(doc, "logdelivery.elasticloadbalancing.amazonaws.com") && strings.Contains(doc, "logging.s3.amazonaws.com")
	}
	if !delivery {
		return fmt.Errorf("the access-log bucket policy does not admit ELB and S3 log delivery")
	}
	lg, err := artifact(g, typetoken.BucketLogging)
	if err != nil {
		return err
	}
	return expect(lg, "targetBucket", name)
}
