package extract

import (
	"fmt"
	"strings"
)

// servicePrefix maps the AWS SDK client package a call is made on to the
// IAM service prefix of its actions (Service Authorization Reference,
// "Service prefix" of each service's page).
var servicePrefix = map[string]string{
	"autoscaling":      "autoscaling",
	"cloudwatchevents": "events",
	"cloudwatchlogs":   "logs",
	"ec2":              "ec2",
	"eks":              "eks",
	"eventbridge":      "events",
	"iam":              "iam",
	"kms":              "kms",
	"rds":              "rds",
	"sns":              "sns",
	"sqs":              "sqs",
	"ssm":              "ssm",
	"sts":              "sts",
}

// actionExceptions are the operations whose IAM action is not the service
// prefix and the operation's name, reviewed against the Service
// Authorization Reference row named in the value. Empty today: every
// operation derived so far has the action of its own name.
var actionExceptions = map[string]string{}

// Operation is the API operation an SDK method call makes: aws-sdk-go v1
// methods carry WithContext, Pages and PagesWithContext suffixes, and
// aws-sdk-go-v2 paginators are built by New<Operation>Paginator.
func Operation(method string) string {
	if op, ok := strings.CutPrefix(method, "New"); ok {
		if op, ok := strings.CutSuffix(op, "Paginator"); ok {
			return op
		}
	}
	for _, suffix := range []string{"PagesWithContext", "WithContext", "Pages"} {
		if op, ok := strings.CutSuffix(method, suffix); ok {
			return op
		}
	}
	return method
}

// ActionChecker says whether an action is in the Service Authorization
// Reference (serviceauthorization.Reference.HasAction).
type ActionChecker interface {
	HasAction(action string) bool
}

// Action maps a call on client's method to its service prefix, operation
// and IAM action, and fails on an action the reference does not define.
func Action(ref ActionChecker, client, method string) (prefix, op, action string, err error) {
	prefix, ok := servicePrefix[client]
	if !ok {
		return "", "", "", fmt.Errorf("client %q has no service prefix", client)
	}
	op = Operation(method)
	action = prefix + ":" + op
	if a, ok := actionExceptions[action]; ok {
		action = a
	}
	if !ref.HasAction(action) {
		return "", "", "", fmt.Errorf("%s.%s: %s is not an action of the Service Authorization Reference", client, method, action)
	}
	return prefix, op, action, nil
}
