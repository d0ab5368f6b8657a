package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	batchv1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/batch/v1"
	corev1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/core/v1"
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
	seccomp := &corev1.SeccompProfileArgs{Type: pulumi.String("RuntimeDefault")}
	job, err := batchv1.NewJob(b.ctx, b.name+"-mlflow-db-setup", &batchv1.JobArgs{
		Metadata: objectMeta(DBSetupJobName(), sa.Namespace),
		Spec: &batchv1.JobSpecArgs{
			BackoffLimit:            pulumi.Int(4),
			TtlSecondsAfterFinished: pulumi.Int(7 * 24 * 3600),
			Template: &corev1.PodTemplateSpecArgs{
				Spec: &corev1.PodSpecArgs{
					ServiceAccountName: pulumi.String(sa.Name),
					RestartPolicy:      pulumi.String("Never"),
					SecurityContext: &corev1.PodSecurityContextArgs{
						RunAsNonRoot: pulumi.Bool(true), RunAsUser: pulumi.Int(mlflowUID), RunAsGroup: pulumi.Int(mlflowUID),
						SeccompProfile: seccomp,
					},
					Containers: corev1.ContainerArray{setupContainer(env, seccomp)},
					Volumes: corev1.VolumeArray{corev1.VolumeArgs{
						Name: pulumi.String("tmp"), EmptyDir: &corev1.EmptyDirVolumeSourceArgs{Medium: pulumi.String("Memory"), SizeLimit: pulumi.String("1Mi")},
					}},
				},
			},
		},
	}, b.inNamespace(sa.Namespace, pulumi.DependsOn(append([]pulumi.Resource{acct}, b.args.Ready.Pods...)))...)
	if err != nil {
		return fmt.Errorf("declaring database setup Job: %w", err)
	}
	b.dbSetupJob = job
	return nil
}

// setupContainer is the setup Job's one container: createRole, run as
// MLflow's user with nothing more than it needs.
func setupContainer(env map[string]pulumi.StringInput, seccomp *corev1.SeccompProfileArgs) corev1.ContainerArgs {
	return corev1.ContainerArgs{
		Name:    pulumi.String("create-role"),
		Image:   pulumi.String(MLflowImage),
		Command: pulumi.ToStringArray([]string{"python", "-c", createRole}),
		Env:     envVars(env),
		SecurityContext: &corev1.SecurityContextArgs{
			AllowPrivilegeEscalation: pulumi.Bool(false), ReadOnlyRootFilesystem: pulumi.Bool(true),
			RunAsNonRoot: pulumi.Bool(true), RunAsUser: pulumi.Int(mlflowUID),
			Capabilities:   &corev1.CapabilitiesArgs{Drop: pulumi.ToStringArray([]string{"ALL"})},
			SeccompProfile: seccomp,
		},
		Resources: &corev1.ResourceRequirementsArgs{
			Requests: pulumi.StringMap{"cpu": pulumi.String("50m"), "memory": pulumi.String("128Mi")},
			Limits:   pulumi.StringMap{"memory": pulumi.String("256Mi")},
		},
		VolumeMounts: corev1.VolumeMountArray{corev1.VolumeMountArgs{Name: pulumi.String("tmp"), MountPath: pulumi.String("/tmp")}},
	}
}

// envVars turns a map into container environment variables, by name.
func envVars(env map[string]pulumi.StringInput) corev1.EnvVarArray {
	out := make(corev1.EnvVarArray, 0, len(env))
	for _, k := range sortedKeys(env) {
		out = append(out, corev1.EnvVarArgs{Name: pulumi.String(k), Value: env[k].ToStringOutput()})
	}
	return out
}
