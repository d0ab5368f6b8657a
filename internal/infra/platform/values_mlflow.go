package platform

import (
	"strconv"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
)

// MLflowImage is the image of the chart's appVersion. It has boto3 and
// psycopg2, so the token sidecar and the database setup Job use it too.
const MLflowImage = "burakince/mlflow:3.14.0"

// mlflowUID is the user the chart's MLflow container runs as.
const mlflowUID = 1001

// credentialsDir is the in-memory volume holding the pgpass file and the
// RDS CA bundle.
const credentialsDir = "/var/run/mlflow-db"

// TokenSidecar is the name of the native sidecar (an init container that
// keeps running) that keeps MLflow's IAM token fresh.
const TokenSidecar = "db-token"

// TokenRefreshSeconds is how often the sidecar writes a new token. A token
// is valid for 15 minutes, so the file always holds one with at least ten
// minutes left.
const TokenRefreshSeconds = 300

// MLflowDBUserSecret is the Secret the chart reads the database user from
// (backendStore.existingDatabaseSecret): user database.MLflowUser and an
// empty password, so that libpq takes the password from PGPASSFILE. The
// chart otherwise requires backendStore.postgres.password.
const MLflowDBUserSecret = "mlflow-db-user"

// rdsCABundle downloads the region's RDS CA bundle for sslmode=verify-full.
const rdsCABundle = `import os, urllib.request
def fetch_ca(path):
    r = os.environ["AWS_REGION"]
    urllib.request.urlretrieve("https://truststore.pki.rds.amazonaws.com/%s/%s-bundle.pem" % (r, r), path)
`

// refreshToken runs in the sidecar. With the pod's IRSA role it signs an
// IAM database authentication token for PGUSER (a local signature: no
// database call) and replaces the pgpass file atomically, every
// REFRESH_SECONDS. libpq reads the file at every new connection, so MLflow
// never holds a credential that can go stale. A failure keeps the last
// token (still valid for minutes) and retries sooner.
const refreshToken = rdsCABundle + `import boto3, sys, time
d = os.environ["CREDENTIALS_DIR"]
fetch_ca(os.path.join(d, "rds-ca.pem"))
rds = boto3.client("rds", region_name=os.environ["AWS_REGION"])
esc = lambda v: v.replace("\\", "\\\\").replace(":", "\\:")
while True:
    try:
        tok = rds.generate_db_auth_token(DBHostname=os.environ["PGHOST"], Port=int(os.environ["PGPORT"]), DBUsername=os.environ["PGUSER"])
        tmp = os.path.join(d, ".pgpass.tmp")
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write("*:*:*:%s:%s\n" % (esc(os.environ["PGUSER"]), esc(tok)))
        os.replace(tmp, os.path.join(d, "pgpass"))
        time.sleep(int(os.environ["REFRESH_SECONDS"]))
    except Exception as e:
        print("token refresh failed: %s" % e, file=sys.stderr, flush=True)
        time.sleep(30)
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

// helperResources are the requests and limits of the small Python helpers.
func helperResources() map[string]any {
	return map[string]any{"requests": map[string]any{"cpu": "50m", "memory": "128Mi"}, "limits": map[string]any{"memory": "256Mi"}}
}

// mlflowValues runs the tracking server on RDS PostgreSQL over verified SSL
// and on the artifact bucket through IRSA (proxied: clients need no AWS
// credentials). MLflow connects as database.MLflowUser with IAM tokens:
// the backend URI carries no password, and libpq reads a fresh token from
// PGPASSFILE, which the token sidecar rewrites.
func mlflowValues(in Inputs) map[string]any {
	return map[string]any{
		"replicaCount": in.MLflow.Replicas,
		// The Service port is the container port: the VPC CNI's network
		// policies match a ClusterIP only then (EKS user guide).
		"service":        map[string]any{"port": MLflowPort, "containerPort": MLflowPort},
		"serviceAccount": irsaAccount(identity.MLflowServiceAccount, in.MLflowRole),
		"podSecurityContext": map[string]any{
			"fsGroup": mlflowUID, "runAsUser": mlflowUID, "runAsGroup": mlflowUID,
			"runAsNonRoot": true, "seccompProfile": map[string]any{"type": "RuntimeDefault"},
		},
		"backendStore": map[string]any{
			"postgres": map[string]any{
				"enabled": true, "host": in.DatabaseAddress, "port": database.Port,
				"database": database.DatabaseName, "driver": "psycopg2",
			},
			"existingDatabaseSecret": map[string]any{"name": MLflowDBUserSecret},
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
		"initContainers":    []any{tokenSidecar(in)},
		"extraVolumes":      []any{map[string]any{"name": "db-credentials", "emptyDir": map[string]any{"medium": "Memory", "sizeLimit": "1Mi"}}},
		"extraVolumeMounts": []any{map[string]any{"name": "db-credentials", "mountPath": credentialsDir, "readOnly": true}},
		"resources": map[string]any{
			"requests": map[string]any{"cpu": "250m", "memory": "512Mi"},
			"limits":   map[string]any{"memory": "2Gi"},
		},
	}
}

// tokenSidecar is a native sidecar (restartPolicy Always): it starts
// before MLflow, which the kubelet starts only once the startup probe sees
// the first token, and keeps running beside it.
func tokenSidecar(in Inputs) map[string]any {
	return map[string]any{
		"name":          TokenSidecar,
		"image":         MLflowImage,
		"restartPolicy": "Always",
		"command":       []any{"python", "-c", refreshToken},
		"env": envList(map[string]string{
			"AWS_REGION": in.Region, "CREDENTIALS_DIR": credentialsDir, "REFRESH_SECONDS": strconv.Itoa(TokenRefreshSeconds),
			"PGHOST": in.DatabaseAddress, "PGPORT": strconv.Itoa(database.Port), "PGUSER": database.MLflowUser,
		}),
		"startupProbe": map[string]any{
			"exec":          map[string]any{"command": []any{"python", "-c", "import os, sys; sys.exit(os.path.getsize('" + credentialsDir + "/pgpass') == 0)"}},
			"periodSeconds": 2, "failureThreshold": 60,
		},
		"securityContext": restrictedContainer(mlflowUID),
		"volumeMounts":    []any{map[string]any{"name": "db-credentials", "mountPath": credentialsDir}},
		"resources":       helperResources(),
	}
}

func envList(env map[string]string) []any {
	var out []any
	for _, k := range sortedKeys(env) {
		out = append(out, map[string]any{"name": k, "value": env[k]})
	}
	return out
}
