package platform_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/charts/chartstest"
	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// tokenLifetimeSeconds is how long an IAM database authentication token
// is valid (AWS, "IAM database authentication": 15 minutes).
const tokenLifetimeSeconds = 15 * 60

// envMap reads a container's env list into a map.
func envMap(c map[string]any) map[string]any {
	out := map[string]any{}
	for _, e := range asList(c["env"]) {
		m, _ := e.(map[string]any)
		name, _ := m["name"].(string)
		out[name] = m["value"]
	}
	return out
}

// restrictedProblems lists what keeps a container of a pod with security
// context pod from passing the restricted Pod Security Standard, and what
// keeps it from fitting a namespace with quotas (requests and a memory
// limit) and from being reproducible (a pinned image).
func restrictedProblems(c, pod map[string]any) []string {
	sc, _ := c["securityContext"].(map[string]any)
	either := func(k string) any {
		if v, ok := sc[k]; ok {
			return v
		}
		return pod[k]
	}
	var out []string
	if sc["allowPrivilegeEscalation"] != false {
		out = append(out, "allowPrivilegeEscalation is not false")
	}
	if drop, _ := lookup(sc, "capabilities.drop"); !containsValue(asList(drop), "ALL") {
		out = append(out, "capabilities do not drop ALL")
	}
	if either("runAsNonRoot") != true {
		out = append(out, "runAsNonRoot is not true")
	}
	if seccomp, _ := either("seccompProfile").(map[string]any); seccomp["type"] != "RuntimeDefault" {
		out = append(out, "seccompProfile is not RuntimeDefault")
	}
	if sc["readOnlyRootFilesystem"] != true {
		out = append(out, "the root filesystem is writable")
	}
	res, _ := c["resources"].(map[string]any)
	for _, k := range []string{"requests.cpu", "requests.memory", "limits.memory"} {
		if v, _ := lookup(res, k); v == nil || v == "" {
			out = append(out, "no "+k)
		}
	}
	image, _ := c["image"].(string)
	if tag := path.Base(image); !strings.Contains(tag, ":") && !strings.Contains(image, "@sha256:") || strings.HasSuffix(tag, ":latest") {
		out = append(out, "image "+image+" is not pinned")
	}
	return out
}

func containsValue(l []any, want any) bool {
	for _, v := range l {
		if v == want {
			return true
		}
	}
	return false
}

// TestMLflowConnectsWithIAMTokens: MLflow names its own database user and
// no password, libpq reads the password file a native sidecar keeps
// filled with IAM tokens fresher than their lifetime, over verified SSL.
func TestMLflowConnectsWithIAMTokens(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			v := values(releases(t, e.g)["mlflow"])
			if u, ok := lookup(v, "backendStore.postgres.user"); ok && u != database.MLflowUser {
				t.Errorf("backendStore.postgres.user = %v, want %s or unset", u, database.MLflowUser)
			}
			if pw, _ := lookup(v, "backendStore.postgres.password"); pw != nil && pw != "" {
				t.Error("the values carry a database password")
			}
			// The chart requires backendStore.postgres.password unless it
			// reads user and password from an existing Secret.
			if name, _ := lookup(v, "backendStore.existingDatabaseSecret.name"); name != platform.MLflowDBUserSecret {
				t.Fatalf("backendStore.existingDatabaseSecret.name = %v, want %s", name, platform.MLflowDBUserSecret)
			}
			if _, ok := byName(e.g, tSecret)["mlflow/"+platform.MLflowDBUserSecret]; !ok {
				t.Fatal("the database user Secret is not declared")
			}
			if data := platform.MLflowDBUserSecretData(); data["username"] != database.MLflowUser || data["password"] != "" {
				t.Errorf("database user Secret holds %v, want user %s and an empty password", data, database.MLflowUser)
			}
			env, _ := lookup(v, "extraEnvVars")
			m, _ := env.(map[string]any)
			passfile, _ := m["PGPASSFILE"].(string)
			if passfile == "" || m["PGSSLMODE"] != "verify-full" || m["PGSSLROOTCERT"] == nil {
				t.Fatalf("MLflow does not read a pgpass file over verified SSL (IAM authentication needs SSL): %v", m)
			}
			host, _ := lookup(v, "backendStore.postgres.host")
			sidecar := findContainer(asList(v["initContainers"]), platform.TokenSidecar)
			if sidecar == nil {
				t.Fatalf("no %s init container", platform.TokenSidecar)
			}
			checkSidecar(t, v, sidecar, passfile, host)
			pod, _ := v["podSecurityContext"].(map[string]any)
			for _, p := range restrictedProblems(sidecar, pod) {
				t.Errorf("%s: %s", platform.TokenSidecar, p)
			}
		})
	}
}

// checkSidecar: the sidecar keeps running beside MLflow, MLflow starts
// after its first token, it signs tokens for MLflow's user on the backend
// host more often than they expire, and it writes where MLflow reads.
func checkSidecar(t *testing.T, v, sidecar map[string]any, passfile string, host any) {
	t.Helper()
	if sidecar["restartPolicy"] != "Always" {
		t.Errorf("restartPolicy = %v: the token would be written once and expire", sidecar["restartPolicy"])
	}
	if sidecar["startupProbe"] == nil {
		t.Error("no startup probe: MLflow could start before the first token")
	}
	env := envMap(sidecar)
	if env["PGUSER"] != database.MLflowUser || env["PGHOST"] != host || env["PGPORT"] != strconv.Itoa(database.Port) {
		t.Errorf("the sidecar signs for %v@%v:%v, want %s@%v:%d", env["PGUSER"], env["PGHOST"], env["PGPORT"], database.MLflowUser, host, database.Port)
	}
	every, err := strconv.Atoi(fmt.Sprint(env["REFRESH_SECONDS"]))
	if err != nil || every <= 0 || every > tokenLifetimeSeconds/2 {
		t.Errorf("REFRESH_SECONDS = %v: a token lives %ds, refresh at least twice in that time", env["REFRESH_SECONDS"], tokenLifetimeSeconds)
	}
	dir := filepath.Dir(passfile)
	writes := mountAt(asList(sidecar["volumeMounts"]), dir)
	reads := mountAt(asList(v["extraVolumeMounts"]), dir)
	if writes == nil || writes["readOnly"] == true || reads == nil || reads["name"] != writes["name"] {
		t.Errorf("the sidecar and MLflow do not share a volume at %s (sidecar %v, MLflow %v)", dir, writes, reads)
	}
}

func findContainer(list []any, name string) map[string]any {
	for _, c := range list {
		if m, _ := c.(map[string]any); m["name"] == name {
			return m
		}
	}
	return nil
}

func mountAt(list []any, dir string) map[string]any {
	for _, c := range list {
		if m, _ := c.(map[string]any); m["mountPath"] == dir {
			return m
		}
	}
	return nil
}

// TestDatabaseSetupJob: the Job runs exactly the embedded script against
// this stack's database, under its own IRSA service account, restricted,
// named after the script, and the MLflow release waits for it.
func TestDatabaseSetupJob(t *testing.T) {
	sum := sha256.Sum256([]byte(database.MLflowRoleSQL))
	wantName := "mlflow-db-setup-" + hex.EncodeToString(sum[:])[:10]
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			job, ok := byName(e.g, typetoken.Job)["mlflow/"+wantName]
			if !ok {
				t.Fatalf("no Job mlflow/%s (named after the script's digest)", wantName)
			}
			mlflow := releases(t, e.g)["mlflow"]
			if !e.g.DependsOn(mlflow.URN, job.URN) {
				t.Error("the MLflow release does not wait for the database setup Job")
			}
			spec := obj(job, "spec.template.spec")
			containers := asList(spec["containers"])
			if len(containers) != 1 {
				t.Fatalf("%d containers", len(containers))
			}
			c, _ := containers[0].(map[string]any)
			env := envMap(c)
			host, _ := lookup(values(mlflow), "backendStore.postgres.host")
			if env["SETUP_SQL"] != database.MLflowRoleSQL || env["PGHOST"] != host || env["PGDATABASE"] != database.DatabaseName {
				t.Errorf("the Job does not run the role script on %v/%s: PGHOST %v, PGDATABASE %v", host, database.DatabaseName, env["PGHOST"], env["PGDATABASE"])
			}
			db := e.g.ByType(typetoken.DBInstance)[0]
			if want := engine.DBSecretArn(e.spec.Region, db.ID); env["DB_SECRET_ARN"] != want {
				t.Errorf("DB_SECRET_ARN = %v, want the instance's master secret %s", env["DB_SECRET_ARN"], want)
			}
			for _, p := range restrictedProblems(c, obj(job, "spec.template.spec.securityContext")) {
				t.Errorf("Job container: %s", p)
			}
			if spec["restartPolicy"] != "Never" || obj(job, "spec")["ttlSecondsAfterFinished"] == nil {
				t.Errorf("restartPolicy %v, ttl %v", spec["restartPolicy"], obj(job, "spec")["ttlSecondsAfterFinished"])
			}
			checkSetupAccount(t, e.g.ByType(tSA), spec["serviceAccountName"], values(mlflow))
		})
	}
}

// checkSetupAccount: the Job's service account is its own, with an IRSA
// role other than MLflow's (only it may read the master secret).
func checkSetupAccount(t *testing.T, accounts []plan.Resource, name any, mlflowValues map[string]any) {
	t.Helper()
	sa := identity.MLflowDBSetupServiceAccount
	if name != sa.Name {
		t.Fatalf("the Job runs as %v, want %s", name, sa.Name)
	}
	mlflowRole, _ := lookup(mlflowValues, "serviceAccount.annotations")
	for _, r := range accounts {
		if str(r, "metadata.namespace") != sa.Namespace || str(r, "metadata.name") != sa.Name {
			continue
		}
		role, _ := obj(r, "metadata.annotations")[platform.IRSAAnnotation].(string)
		if !regexp.MustCompile(`:role/irsa-mlflow-db-setup$`).MatchString(role) {
			t.Errorf("%s has IRSA role %q", sa.Subject(), role)
		}
		if m, _ := mlflowRole.(map[string]any); m[platform.IRSAAnnotation] == role {
			t.Error("the Job and MLflow share an IRSA role")
		}
		return
	}
	t.Errorf("service account %s is not declared", sa.Subject())
}

// TestMLflowValueKeysAreReadByTheChart: every value the program sets for
// MLflow is read by the pinned chart's templates, either by its own path
// or whole through an ancestor (toYaml, with, range). values.yaml lists
// keys no template reads; this checks the templates themselves.
func TestMLflowValueKeysAreReadByTheChart(t *testing.T) {
	dir := filepath.Join(chartstest.Dir(t), "mlflow", "templates")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var templates strings.Builder
	for _, en := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		templates.Write(raw)
	}
	text := templates.String()
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			for _, p := range keyPaths("", values(releases(t, e.g)["mlflow"])) {
				if !readByTemplates(text, p) {
					t.Errorf("no template of the mlflow chart reads .Values.%s", p)
				}
			}
		})
	}
}

// keyPaths returns the dotted paths of every key in v, not into lists.
func keyPaths(prefix string, v map[string]any) []string {
	var out []string
	for k, c := range v {
		p := strings.TrimPrefix(prefix+"."+k, ".")
		out = append(out, p)
		if m, ok := c.(map[string]any); ok {
			out = append(out, keyPaths(p, m)...)
		}
	}
	return out
}

// readByTemplates reports whether the templates read path p, or an
// ancestor of p as a whole (not only through one of its fields).
func readByTemplates(text, p string) bool {
	parts := strings.Split(p, ".")
	for i := len(parts); i > 0; i-- {
		q := regexp.QuoteMeta(".Values." + strings.Join(parts[:i], "."))
		tail := `[^.\w]`
		if i == len(parts) {
			tail = `\b`
		}
		if regexp.MustCompile(q + tail).MatchString(text) {
			return true
		}
	}
	return false
}
