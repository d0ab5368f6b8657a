package platform

import (
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
)

// MLflowImage is the image of the chart's appVersion, also used by the
// init container that fetches the database credentials (it has boto3).
const MLflowImage = "burakince/mlflow:3.14.0"

// credentialsDir is the in-memory volume holding the pgpass file and the
// RDS CA bundle.
const credentialsDir = "/var/run/mlflow-db"

// fetchCredentials runs in the init container. It reads the RDS-managed
// secret with the pod's IRSA role and writes a pgpass file only the MLflow
// user can read, plus the RDS CA bundle for verify-full. The password is
// therefore never in chart values, Pulumi state or a Kubernetes Secret, and
// a restart picks up a rotated password.
const fetchCredentials = `import boto3, json, os, urllib.request
d = os.environ["CREDENTIALS_DIR"]
s = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
esc = lambda v: v.replace("\\", "\\\\").replace(":", "\\:")
with open(os.open(os.path.join(d, "pgpass"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
    f.write("*:*:*:%s:%s\n" % (esc(s["username"]), esc(s["password"])))
r = os.environ["AWS_REGION"]
urllib.request.urlretrieve("https://truststore.pki.rds.amazonaws.com/%s/%s-bundle.pem" % (r, r), os.path.join(d, "rds-ca.pem"))
`

// restrictedContainer is a container security context that passes the
// restricted Pod Security Standard.
func restrictedContainer(uid int) map[string]any {
	return map[string]any{
		"allowPrivilegeEscalation": false,
		"readOnlyRootFilesystem":   true,
		"runAsNonRoot":             true,
		"runAsUser":                uid,
		"capabilities":             map[string]any{"drop": []any{"ALL"}},
		"seccompProfile":           map[string]any{"type": "RuntimeDefault"},
	}
}

// mlflowValues runs the tracking server on RDS PostgreSQL over verified SSL
// and on the artifact bucket through IRSA (proxied: clients need no AWS
// credentials). The backend URI carries no password: libpq reads it from
// PGPASSFILE, written by the init container.
func mlflowValues(in Inputs) map[string]any {
	const uid = 1001
	return map[string]any{
		"replicaCount":   in.MLflow.Replicas,
		"serviceAccount": irsaAccount(identity.MLflowServiceAccount, in.MLflowRole),
		"podSecurityContext": map[string]any{
			"fsGroup": uid, "runAsUser": uid, "runAsGroup": uid,
			"runAsNonRoot": true, "seccompProfile": map[string]any{"type": "RuntimeDefault"},
		},
		"backendStore": map[string]any{
			"postgres": map[string]any{
				"enabled": true, "host": in.DatabaseAddress, "port": database.Port,
				"database": database.DatabaseName, "user": database.MasterUsername, "driver": "psycopg2",
			},
		},
		"artifactRoot": map[string]any{
			"proxiedArtifactStorage": true,
			"s3":                     map[string]any{"enabled": true, "bucket": in.ArtifactBucket, "path": "artifacts"},
		},
		"extraEnvVars": map[string]any{
			"AWS_DEFAULT_REGION": in.Region,
			"PGPASSFILE":         credentialsDir + "/pgpass",
			"PGSSLMODE":          "verify-full",
			"PGSSLROOTCERT":      credentialsDir + "/rds-ca.pem",
		},
		"initContainers": []any{map[string]any{
			"name":            "db-credentials",
			"image":           MLflowImage,
			"command":         []any{"python", "-c", fetchCredentials},
			"env":             envList(map[string]string{"DB_SECRET_ARN": in.DatabaseSecretArn, "AWS_REGION": in.Region, "CREDENTIALS_DIR": credentialsDir}),
			"securityContext": restrictedContainer(uid),
			"volumeMounts":    []any{map[string]any{"name": "db-credentials", "mountPath": credentialsDir}},
			"resources":       map[string]any{"requests": map[string]any{"cpu": "50m", "memory": "128Mi"}, "limits": map[string]any{"memory": "256Mi"}},
		}},
		"extraVolumes":      []any{map[string]any{"name": "db-credentials", "emptyDir": map[string]any{"medium": "Memory", "sizeLimit": "1Mi"}}},
		"extraVolumeMounts": []any{map[string]any{"name": "db-credentials", "mountPath": credentialsDir, "readOnly": true}},
		"resources": map[string]any{
			"requests": map[string]any{"cpu": "250m", "memory": "512Mi"},
			"limits":   map[string]any{"memory": "2Gi"},
		},
	}
}

func envList(env map[string]string) []any {
	var out []any
	for _, k := range sortedKeys(env) {
		out = append(out, map[string]any{"name": k, "value": env[k]})
	}
	return out
}
