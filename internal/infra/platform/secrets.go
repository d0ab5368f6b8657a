package platform

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	corev1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/core/v1"
	metav1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/meta/v1"
	policyv1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/policy/v1"
)

// serviceAccounts declares the IRSA accounts no chart creates: KServe's
// model service account in the serving namespace. (The database setup
// Job's account is declared with the Job.)
func (b *builder) serviceAccounts() error {
	_, err := b.irsaServiceAccount(identity.KServeServiceAccount, b.args.KServeRoleArn)
	return err
}

// irsaServiceAccount declares sa annotated with the IRSA role roleArn.
func (b *builder) irsaServiceAccount(sa identity.ServiceAccount, roleArn pulumi.StringOutput) (pulumi.Resource, error) {
	meta := objectMeta(sa.Name, sa.Namespace)
	meta.Annotations = pulumi.StringMap{IRSAAnnotation: roleArn}
	acct, err := corev1.NewServiceAccount(b.ctx, b.name+"-sa-"+sa.Name, &corev1.ServiceAccountArgs{Metadata: meta},
		b.inNamespace(sa.Namespace)...)
	if err != nil {
		return nil, fmt.Errorf("declaring service account %s: %w", sa.Subject(), err)
	}
	return acct, nil
}

// GeneratePassword returns a random URL-safe password of n bytes' entropy.
func GeneratePassword(n int) (string, error) {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("generating password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// secrets declares Grafana's admin Secret, MLflow's database user Secret
// and setup Job, and MLflow's PodDisruptionBudget when the spec asks.
func (b *builder) secrets() error {
	pw, err := GeneratePassword(24)
	if err != nil {
		return err
	}
	// Generated once: later runs generate another value, which ignoreChanges
	// discards, so the password stays stable and is only ever a secret.
	if b.grafanaSecret, err = b.secret("-grafana-admin", grafanaAdminName, kubenames.NSMonitoring, pulumi.StringMap{
		"admin-user":     pulumi.String("admin"),
		"admin-password": pulumi.ToSecret(pulumi.String(pw)).(pulumi.StringOutput),
	}, pulumi.IgnoreChanges([]string{"stringData", "data"})); err != nil {
		return fmt.Errorf("declaring Grafana admin secret: %w", err)
	}
	if err := b.mlflowDBUser(); err != nil {
		return err
	}
	if err := b.dbSetup(); err != nil {
		return err
	}
	if !b.args.MLflow.DisruptionBudget {
		return nil
	}
	if _, err := policyv1.NewPodDisruptionBudget(b.ctx, b.name+"-mlflow-pdb", &policyv1.PodDisruptionBudgetArgs{
		Metadata: objectMeta("mlflow", kubenames.NSMLflow),
		Spec: &policyv1.PodDisruptionBudgetSpecArgs{
			MinAvailable: pulumi.Int(1),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{
				"app.kubernetes.io/name": pulumi.String("mlflow"), "app.kubernetes.io/instance": pulumi.String("mlflow"),
			}},
		},
	}, b.inNamespace(kubenames.NSMLflow)...); err != nil {
		return fmt.Errorf("declaring MLflow disruption budget: %w", err)
	}
	return nil
}

// MLflowDBUserSecretData is what the MLflow chart's database user Secret
// holds: the user, and an empty password. The provider marks a Secret's
// data secret in the plan, so tests read it here.
func MLflowDBUserSecretData() map[string]string {
	return map[string]string{"username": database.MLflowUser, "password": ""}
}

// mlflowDBUser declares the Secret the MLflow chart reads its database
// user from: database.MLflowUser and an empty password (libpq then reads
// the token from PGPASSFILE). It holds no credential.
func (b *builder) mlflowDBUser() error {
	sec, err := b.secret("-mlflow-db-user", MLflowDBUserSecret, kubenames.NSMLflow, pulumi.ToStringMap(MLflowDBUserSecretData()))
	if err != nil {
		return fmt.Errorf("declaring MLflow database user secret: %w", err)
	}
	b.mlflowUser = sec
	return nil
}

// secret declares an Opaque Secret. The SDK's constructor marks its
// stringData a secret input and its data and stringData secret outputs.
func (b *builder) secret(suffix, name, ns string, data pulumi.StringMap, extra ...pulumi.ResourceOption) (pulumi.Resource, error) {
	sec, err := corev1.NewSecret(b.ctx, b.name+suffix, &corev1.SecretArgs{
		Metadata:   objectMeta(name, ns),
		Type:       pulumi.String("Opaque"),
		StringData: data,
	}, b.inNamespace(ns, extra...)...)
	if err != nil {
		return nil, err
	}
	return sec, nil
}
