package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// DBSetupJobName is the name of the Job that creates MLflow's database
// role: it carries the script's digest, so a changed script is a new Job
// (Pulumi replaces it) and runs again, and an unchanged one does not.
func DBSetupJobName() string {
	return "mlflow-db-setup-" + database.MLflowRoleSQLHash()
}

// createRole runs in the setup Job: it reads the RDS-managed master secret
// with the Job's IRSA role and runs SETUP_SQL (database.MLflowRoleSQL) in
// one call over verified SSL, as the master user. The master password is
// read when the Job runs, so a rotation never stales it.
const createRole = rdsCABundle + `import boto3, json, psycopg2
ca = "/tmp/rds-ca.pem"
fetch_ca(ca)
s = json.loads(boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"]).get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
c = psycopg2.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"], dbname=os.environ["PGDATABASE"], user=s["username"], password=s["password"], sslmode="verify-full", sslrootcert=ca)
c.autocommit = True
c.cursor().execute(os.environ["SETUP_SQL"])
c.close()
print("database role ready")
`

// dbSetup declares the setup Job's service account and the Job. The MLflow
// release waits for the Job, which pulumi-kubernetes awaits until it
// completes.
func (b *builder) dbSetup() error {
	sa := identity.MLflowDBSetupServiceAccount
	acct, err := b.irsaServiceAccount(sa, b.args.MLflowDBSetupRoleArn)
	if err != nil {
		return err
	}
	env := map[string]pulumi.StringInput{
		"AWS_REGION": pulumi.String(b.args.Region), "DB_SECRET_ARN": b.args.DatabaseSecretArn,
		"PGHOST": b.args.DatabaseAddress, "PGPORT": pulumi.String(fmt.Sprint(database.Port)),
		"PGDATABASE": pulumi.String(database.DatabaseName), "SETUP_SQL": pulumi.String(database.MLflowRoleSQL),
	}
	seccomp := pulumi.Map{"type": pulumi.String("RuntimeDefault")}
	var job provider.Resource
	if err := provider.KubernetesObject(b.ctx, typetoken.Job, b.name+"-mlflow-db-setup", pulumi.Map{
		"metadata": objectMeta(DBSetupJobName(), sa.Namespace),
		"spec": pulumi.Map{
			"backoffLimit":            pulumi.Int(4),
			"ttlSecondsAfterFinished": pulumi.Int(7 * 24 * 3600),
			"template": pulumi.Map{
				"spec": pulumi.Map{
					"serviceAccountName": pulumi.String(sa.Name),
					"restartPolicy":      pulumi.String("Never"),
					"securityContext": pulumi.Map{
						"runAsNonRoot": pulumi.Bool(true), "runAsUser": pulumi.Int(mlflowUID), "runAsGroup": pulumi.Int(mlflowUID),
						"seccompProfile": seccomp,
					},
					"containers": pulumi.Array{pulumi.Map{
						"name":    pulumi.String("create-role"),
						"image":   pulumi.String(MLflowImage),
						"command": pulumi.ToStringArray([]string{"python", "-c", createRole}),
						"env":     envVars(env),
						"securityContext": pulumi.Map{
							"allowPrivilegeEscalation": pulumi.Bool(false), "readOnlyRootFilesystem": pulumi.Bool(true),
							"runAsNonRoot": pulumi.Bool(true), "runAsUser": pulumi.Int(mlflowUID),
							"capabilities":   pulumi.Map{"drop": pulumi.ToStringArray([]string{"ALL"})},
							"seccompProfile": seccomp,
						},
						"resources": pulumi.Map{
							"requests": pulumi.StringMap{"cpu": pulumi.String("50m"), "memory": pulumi.String("128Mi")},
							"limits":   pulumi.StringMap{"memory": pulumi.String("256Mi")},
						},
						"volumeMounts": pulumi.Array{pulumi.Map{"name": pulumi.String("tmp"), "mountPath": pulumi.String("/tmp")}},
					}},
					"volumes": pulumi.Array{pulumi.Map{
						"name": pulumi.String("tmp"), "emptyDir": pulumi.Map{"medium": pulumi.String("Memory"), "sizeLimit": pulumi.String("1Mi")},
					}},
				},
			},
		},
	}, &job, b.inNamespace(sa.Namespace, pulumi.DependsOn(append([]pulumi.Resource{acct}, b.args.Ready.Pods...)))...); err != nil {
		return fmt.Errorf("declaring database setup Job: %w", err)
	}
	b.dbSetupJob = &job
	return nil
}

// envVars turns a map into container environment variables, by name.
func envVars(env map[string]pulumi.StringInput) pulumi.Array {
	out := make(pulumi.Array, 0, len(env))
	for _, k := range sortedKeys(env) {
		out = append(out, pulumi.Map{"name": pulumi.String(k), "value": env[k]})
	}
	return out
}
