package database

import (
	"crypto/sha256"
	_ "embed" // the role script
	"encoding/hex"
	"fmt"
)

// MLflowUser is the database role MLflow connects as. It is not the master
// user: it owns MLflow's tables and authenticates with IAM tokens only.
const MLflowUser = "mlflow"

// MLflowRoleSQL creates and grants MLflowUser. It is idempotent and runs as
// the master user, once per change, in the platform's setup Job.
//
//go:embed sql/mlflow_role.sql
var MLflowRoleSQL string

// MLflowRoleSQLHash is a short digest of MLflowRoleSQL: the setup Job's name
// carries it, so a changed script runs again.
func MLflowRoleSQLHash() string {
	sum := sha256.Sum256([]byte(MLflowRoleSQL))
	return hex.EncodeToString(sum[:])[:10]
}

// ConnectArn is the IAM resource of rds-db:connect for user on the instance
// with resource ID resourceID (the instance's DbiResourceId, db-…, not its
// identifier): arn:${Partition}:rds-db:${Region}:${Account}:dbuser:${DbiResourceId}/${DbUserName}.
func ConnectArn(partition, region, accountID, resourceID, user string) string {
	return fmt.Sprintf("arn:%s:rds-db:%s:%s:dbuser:%s/%s", partition, region, accountID, resourceID, user)
}
