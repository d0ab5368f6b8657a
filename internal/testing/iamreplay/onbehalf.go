package iamreplay

import "github.com/mlops-platform/mlops-platform/internal/typetoken"

// onBehalf are the actions a derived type's operations need that no
// provider source shows, because AWS makes them with the caller's
// permissions while serving the provider's call. internal/tfcalls derives
// only the calls the provider makes, so actionsFor adds these, per step,
// when the operation meets their condition.
var onBehalf = map[string][]behalf{
	// RDS user guide, "Password management with Amazon RDS and AWS Secrets
	// Manager": with manage_master_user_password RDS creates, tags and
	// rotates the master user secret on CreateDBInstance, describes it,
	// rotates it again on a modify and deletes it with the instance, each
	// with the caller's permissions (the deployer table's row). "Granting
	// permission to tag resources on creation": tags given to
	// CreateDBInstance need rds:AddTagsToResource.
	typetoken.DBInstance: {
		{StepCreate, "secretsmanager:CreateSecret", managesSecret},
		{StepCreate, "secretsmanager:TagResource", managesSecret},
		{StepCreate, "secretsmanager:RotateSecret", managesSecret},
		{StepCreate, "rds:AddTagsToResource", taggedOp},
		{StepRead, "secretsmanager:DescribeSecret", managesSecret},
		{StepUpdate, "secretsmanager:RotateSecret", managesSecret},
		{StepDelete, "secretsmanager:DeleteSecret", managesSecret},
	},
}

// behalf is one action AWS needs at a step when the operation meets when.
type behalf struct {
	step, action string
	when         func(op ProviderOp, tagged bool) bool
}

func managesSecret(op ProviderOp, _ bool) bool {
	b, _ := op.Inputs["manageMasterUserPassword"].(bool)
	return b
}

func taggedOp(_ ProviderOp, tagged bool) bool { return tagged }

// behalfActions are onBehalf's actions for op.
func behalfActions(op ProviderOp, tagged bool) []string {
	var out []string
	for _, b := range onBehalf[op.Type] {
		if b.step == op.Step && b.when(op, tagged) {
			out = append(out, b.action)
		}
	}
	return out
}
