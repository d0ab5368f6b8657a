package iamreplay

import "github.com/mlops-platform/mlops-platform/internal/typetoken"

// keyUse is what a service asks KMS for, with the caller's permissions,
// when a resource it creates is encrypted with a customer managed key.
type keyUse struct {
	service string
	actions []string
	// grant marks a kms:CreateGrant the service makes for itself
	// (kms:GrantIsForAWSResource).
	grant bool
}

var (
	// EKS user guide, "Encrypt Kubernetes secrets with KMS on existing
	// clusters": the creator needs kms:DescribeKey and kms:CreateGrant.
	eksKeyUse = keyUse{"eks", []string{"kms:DescribeKey", "kms:CreateGrant"}, true}
	// RDS user guide, "Encrypting Amazon RDS resources": kms:CreateGrant
	// and kms:DescribeKey on the storage key.
	rdsKeyUse = keyUse{"rds", []string{"kms:DescribeKey", "kms:CreateGrant"}, true}
	// RDS user guide, "Password management with Secrets Manager": the
	// managed master secret is encrypted through Secrets Manager
	// (kms:GenerateDataKey, kms:Decrypt).
	secretKeyUse = keyUse{"secretsmanager", []string{"kms:GenerateDataKey", "kms:Decrypt"}, false}
	// EBS user guide, "Requirements for Amazon EBS encryption".
	ebsKeyUse = keyUse{"ec2", []string{"kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey",
		"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"}, true}
)

// keyUses are the KMS authorizations of a create whose resource a service
// encrypts with a key: an EKS cluster's secrets, a database's storage
// and managed master secret, an instance's encrypted root volume (with
// the account's default EBS key unless it names one).
func (r *Replayer) keyUses(op ProviderOp) []Authorization {
	if op.Step != StepCreate {
		return nil
	}
	in := input(op.Inputs)
	type use struct {
		key string
		keyUse
	}
	var uses []use
	switch op.Type {
	case typetoken.Cluster:
		for _, c := range objects(in["encryptionConfig"]) {
			if p := objects(c["provider"]); len(p) > 0 {
				uses = append(uses, use{p[0].str("keyArn"), eksKeyUse})
			}
		}
	case typetoken.DBInstance:
		if b, _ := in["storageEncrypted"].(bool); b {
			uses = append(uses, use{in.str("kmsKeyId"), rdsKeyUse})
		}
		if b, _ := in["manageMasterUserPassword"].(bool); b && in.str("masterUserSecretKmsKeyId") != "" {
			uses = append(uses, use{in.str("masterUserSecretKmsKeyId"), secretKeyUse})
		}
	case typetoken.EC2Instance:
		for _, d := range objects(in["rootBlockDevice"]) {
			if b, _ := d["encrypted"].(bool); b {
				uses = append(uses, use{orStr(d.str("kmsKeyId"), r.known.ebsKey), ebsKeyUse})
			}
		}
	}
	var out []Authorization
	for _, u := range uses {
		if u.key == "" {
			continue
		}
		arn := r.keyARN(u.key)
		for _, action := range u.actions {
			a := one(action, "key", arn)
			a.Context = map[string][]string{"kms:ViaService": {r.via(u.service)}}
			if action == "kms:CreateGrant" && u.grant {
				a.Context["kms:GrantIsForAWSResource"] = []string{"true"}
			}
			if al := r.known.aliases[arn]; len(al) > 0 {
				a.Context["kms:ResourceAliases"] = al
			}
			out = append(out, a)
		}
	}
	return out
}

// objects reads an object or a list of objects.
func objects(v any) []input {
	switch x := v.(type) {
	case map[string]any:
		return []input{x}
	case []any:
		var out []input
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}
