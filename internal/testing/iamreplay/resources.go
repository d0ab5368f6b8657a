package iamreplay

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// target is a resource an action is authorized on: the reference's
// resource type and the resource's ARN.
type target struct{ typ, arn string }

// ownTypes are the reference's resource type of each type token's own
// resource, with its ARN built from the operation, in the formats of the
// reference's "Resource types" tables. A token absent here has no ARN of
// its own (a route, an association, a bucket's sub-resource): its actions
// are authorized on the resources it names (related).
var ownTypes = map[string]func(r *Replayer, op ProviderOp) target{
	typetoken.Vpc:                      ec2Own("vpc"),
	typetoken.Subnet:                   ec2Own("subnet"),
	typetoken.InternetGateway:          ec2Own("internet-gateway"),
	typetoken.Eip:                      ec2Own("elastic-ip"),
	typetoken.NatGateway:               ec2Own("natgateway"),
	typetoken.RouteTable:               ec2Own("route-table"),
	typetoken.SecurityGroup:            ec2Own("security-group"),
	typetoken.DefaultSecurityGroup:     ec2Own("security-group"),
	typetoken.SecurityGroupIngressRule: ec2Own("security-group-rule"),
	typetoken.VpcEndpoint:              ec2Own("vpc-endpoint"),
	typetoken.FlowLog:                  ec2Own("vpc-flow-log"),
	typetoken.EC2Instance:              ec2Own("instance"),
	typetoken.LaunchTemplate:           ec2Own("launch-template"),
	// A role's and an instance profile's ID is its name: the one AWS
	// holds, which carries the provider's autoname suffix (the fake's
	// name output is the logical name it was autonamed from).
	typetoken.InstanceProfile: func(r *Replayer, op ProviderOp) target {
		return target{"instance-profile", r.arn("iam", "", r.Account, "instance-profile"+pathOf(op)+op.ID)}
	},
	typetoken.Role: func(r *Replayer, op ProviderOp) target {
		return target{"role", r.arn("iam", "", r.Account, "role"+pathOf(op)+op.ID)}
	},
	typetoken.OIDCProvider: func(r *Replayer, op ProviderOp) target {
		host := strings.TrimPrefix(input(op.Inputs).str("url"), "https://")
		return target{"oidc-provider", r.arn("iam", "", r.Account, "oidc-provider/"+host)}
	},
	typetoken.Cluster: func(r *Replayer, op ProviderOp) target {
		return target{"cluster", eksCluster(r, input(op.Inputs).str("name"))}
	},
	typetoken.NodeGroup: func(r *Replayer, op ProviderOp) target {
		in := input(op.Inputs)
		return target{"nodegroup", nodegroup(r, in.str("clusterName"), in.str("nodeGroupName"))}
	},
	typetoken.Addon: func(r *Replayer, op ProviderOp) target {
		in := input(op.Inputs)
		return target{"addon", addon(r, in.str("clusterName"), in.str("addonName"))}
	},
	typetoken.AccessEntry: func(r *Replayer, op ProviderOp) target { return r.accessEntry(op) },
	typetoken.KMSKey: func(r *Replayer, op ProviderOp) target {
		return target{"key", r.arn("kms", r.Region, r.Account, "key/"+op.ID)}
	},
	typetoken.KMSAlias: func(r *Replayer, op ProviderOp) target {
		return target{"alias", r.arn("kms", r.Region, r.Account, input(op.Inputs).str("name"))}
	},
	typetoken.LogGroup: func(r *Replayer, op ProviderOp) target {
		return target{"log-group", r.arn("logs", r.Region, r.Account, "log-group:"+input(op.Inputs).str("name"))}
	},
	typetoken.SNSTopic: func(r *Replayer, op ProviderOp) target {
		return target{"topic", r.arn("sns", r.Region, r.Account, outName(op))}
	},
	typetoken.SSMDocument: func(r *Replayer, op ProviderOp) target {
		return target{"document", r.arn("ssm", r.Region, r.Account, "document/"+input(op.Inputs).str("name"))}
	},
	typetoken.DBInstance: func(r *Replayer, op ProviderOp) target {
		return target{"db", rdsARN(r, "db", orStr(input(op.Inputs).str("identifier"), op.ID))}
	},
	typetoken.DBSubnetGroup:    func(r *Replayer, op ProviderOp) target { return target{"subgrp", rdsARN(r, "subgrp", op.ID)} },
	typetoken.DBParameterGroup: func(r *Replayer, op ProviderOp) target { return target{"pg", rdsARN(r, "pg", op.ID)} },
	typetoken.Bucket:           func(r *Replayer, op ProviderOp) target { return target{"bucket", bucketARN(r, op.ID)} },
	typetoken.SQSQueue: func(r *Replayer, op ProviderOp) target {
		return target{"queue", r.arn("sqs", r.Region, r.Account, outName(op))}
	},
	typetoken.EventRule: func(r *Replayer, op ProviderOp) target {
		return target{"rule-on-default-event-bus", r.arn("events", r.Region, r.Account, "rule/"+outName(op))}
	},
}

// related builds, by the reference's resource type, the ARNs of the
// resources an operation's inputs name, for the actions not authorized on
// its own resource.
var related = map[string]func(r *Replayer, in input) []string{
	"vpc":            ec2Named("vpc", "vpcId"),
	"subnet":         ec2Named("subnet", "subnetId"),
	"route-table":    ec2Named("route-table", "routeTableId"),
	"security-group": ec2Named("security-group", "securityGroupId"),
	"elastic-ip":     ec2Named("elastic-ip", "allocationId"),
	"cluster": func(r *Replayer, in input) []string {
		return nonEmpty(in.str("clusterName"), eksCluster(r, in.str("clusterName")))
	},
	"role": func(r *Replayer, in input) []string {
		return nonEmpty(in.str("role"), r.roleARN(in.str("role")))
	},
	"key": func(r *Replayer, in input) []string {
		return nonEmpty(in.str("targetKeyId"), r.keyARN(in.str("targetKeyId")))
	},
	"bucket": func(r *Replayer, in input) []string {
		return nonEmpty(in.str("bucket"), bucketARN(r, in.str("bucket")))
	},
	"queue": func(r *Replayer, in input) []string {
		u := in.str("queueUrl")
		return nonEmpty(u, r.arn("sqs", r.Region, r.Account, u[strings.LastIndex(u, "/")+1:]))
	},
	"rule-on-default-event-bus": func(r *Replayer, in input) []string {
		return nonEmpty(in.str("rule"), r.arn("events", r.Region, r.Account, "rule/"+in.str("rule")))
	},
	"access-entry": func(r *Replayer, in input) []string {
		return nonEmpty(in.str("principalArn"), r.accessEntry(ProviderOp{Inputs: in}).arn)
	},
	"autoScalingGroup": func(r *Replayer, in input) []string {
		g := in.str("autoscalingGroupName")
		return nonEmpty(g, r.arn("autoscaling", r.Region, r.Account, "autoScalingGroup:"+eksUUID+":autoScalingGroupName/"+g))
	},
	// The private hosted zone AWS associates an interface endpoint's VPC
	// with is AWS's own; no request names it.
	"hostedzone": func(r *Replayer, _ input) []string {
		return []string{r.arn("route53", "", "", "hostedzone/Z0000000000000000000")}
	},
	"Secret": func(r *Replayer, in input) []string { return nonEmpty(r.secret(in), r.secret(in)) },
}

// targets are the resources action is authorized on for op: none ("*")
// for an action of no resource type; the operation's own resource when
// the reference authorizes the action on its type; else every resource
// of the action's types the inputs name.
func (r *Replayer) targets(action string, op ProviderOp, own target, hasOwn bool) ([]target, error) {
	ref, err := reference()
	if err != nil {
		return nil, err
	}
	types := ref.ResourceTypes(action)
	if len(types) == 0 {
		return []target{{"", "*"}}, nil
	}
	if hasOwn && slices.Contains(types, own.typ) {
		out := []target{own}
		// KMS developer guide, "Controlling access to aliases": an alias
		// is created, updated or deleted with permission on the alias and
		// on the key it points to.
		if own.typ == "alias" {
			out = append(out, target{"key", r.keyARN(input(op.Inputs).str("targetKeyId"))})
		}
		return out, nil
	}
	var out []target
	in := withOutputs(op)
	if action == "iam:RemoveRoleFromInstanceProfile" && op.Type == typetoken.Role {
		// resourceRoleDelete removes the role from the profiles that still
		// hold it (ListInstanceProfilesForRole): none once they are gone.
		for arn, role := range r.known.holders {
			if role == outName(op) || role == op.ID {
				out = append(out, target{"instance-profile", arn})
			}
		}
		return out, nil
	}
	if op.Type == typetoken.EC2Tag {
		id := in.str("resourceId")
		typ := ec2TypeOfID(id)
		if slices.Contains(types, typ) {
			return []target{{typ, r.arn("ec2", r.Region, r.Account, typ+"/"+id)}}, nil
		}
	}
	for _, t := range types {
		if b := related[t]; b != nil {
			for _, arn := range b(r, in) {
				out = append(out, target{t, arn})
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no resource of the types %v it is authorized on", action, types)
	}
	return out, nil
}

func ec2Own(typ string) func(r *Replayer, op ProviderOp) target {
	return func(r *Replayer, op ProviderOp) target {
		return target{typ, r.arn("ec2", r.Region, r.Account, typ+"/"+op.ID)}
	}
}

func ec2Named(typ, name string) func(r *Replayer, in input) []string {
	return func(r *Replayer, in input) []string {
		id := in.str(name)
		return nonEmpty(id, r.arn("ec2", r.Region, r.Account, typ+"/"+id))
	}
}

// ec2TypeOfID is the resource type of an EC2 ID by its prefix.
func ec2TypeOfID(id string) string {
	prefix, _, _ := strings.Cut(id, "-")
	return map[string]string{"sg": "security-group", "subnet": "subnet", "vpc": "vpc", "i": "instance",
		"lt": "launch-template", "rtb": "route-table"}[prefix]
}

// nonEmpty is []string{v} when key is set.
func nonEmpty(key, v string) []string {
	if key == "" {
		return nil
	}
	return []string{v}
}

// withOutputs is op's outputs overlaid with its inputs.
func withOutputs(op ProviderOp) input {
	in := input{}
	for k, v := range op.Outputs {
		in[k] = v
	}
	for k, v := range op.Inputs {
		in[k] = v
	}
	return in
}

// outName is the resource's name as the provider reports it, else its ID.
func outName(op ProviderOp) string {
	return orStr(input(op.Outputs).str("name"), op.ID)
}

// pathOf is an IAM resource's path, "/" by default.
func pathOf(op ProviderOp) string { return orStr(input(op.Inputs).str("path"), "/") }

func orStr(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// accessEntry is the ARN of the access entry of the operation's cluster
// and principal (arn:…:access-entry/<cluster>/<type>/<account>/<name>/<uuid>).
func (r *Replayer) accessEntry(op ProviderOp) target {
	in := input(op.Inputs)
	p := in.str("principalArn")
	kind, name := "role", p[strings.LastIndex(p, "/")+1:]
	if strings.Contains(p, ":user/") {
		kind = "user"
	}
	return target{"access-entry", r.arn("eks", r.Region, r.Account,
		"access-entry/"+in.str("clusterName")+"/"+kind+"/"+r.Account+"/"+name+"/"+eksUUID)}
}

// own is op's own resource, when its type has one.
func (r *Replayer) own(op ProviderOp) (target, bool) {
	b, ok := ownTypes[op.Type]
	if !ok {
		return target{}, false
	}
	return b(r, op), true
}
