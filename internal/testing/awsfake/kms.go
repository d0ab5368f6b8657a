package awsfake

import (
	"encoding/json"
	"fmt"
	"strings"
)

// kmsOps are the KMS operations the fake answers.
var kmsOps = map[string]handler{
	"CreateKey": kmsOp, "DescribeKey": kmsOp, "ListKeys": kmsOp, "GetKeyRotationStatus": kmsOp,
	"EnableKeyRotation": kmsOp, "CreateAlias": kmsOp, "Encrypt": kmsCrypt, "Decrypt": kmsCrypt,
}

func kmsOp(s *Server, r *Request) (any, error) {
	var in struct {
		KeyID       string `json:"KeyId"`
		Description string
		AliasName   string
		TargetKeyID string `json:"TargetKeyId"`
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("SerializationException", err.Error())
	}
	keyNotFound := func(id string) error {
		return badRequest("NotFoundException", "Key '"+id+"' does not exist")
	}
	switch r.Op {
	case "CreateKey":
		id := fmt.Sprintf("%08d-0000-4000-8000-%012d", len(s.keys)+1, len(s.keys)+1)
		material, err := newKeyMaterial()
		if err != nil {
			return nil, err
		}
		k := &key{ID: id, ARN: "arn:aws:kms:" + Region + ":" + Account + ":key/" + id, Description: in.Description, material: material}
		s.keys = append(s.keys, k)
		return map[string]any{"KeyMetadata": metadata(k)}, nil
	case "DescribeKey":
		k := s.resolve(in.KeyID)
		if k == nil {
			return nil, keyNotFound(in.KeyID)
		}
		return map[string]any{"KeyMetadata": metadata(k)}, nil
	case "ListKeys":
		var ks []map[string]string
		for _, k := range s.keys {
			ks = append(ks, map[string]string{"KeyId": k.ID, "KeyArn": k.ARN})
		}
		return map[string]any{"Keys": ks, "Truncated": false}, nil
	case "GetKeyRotationStatus", "EnableKeyRotation":
		k := s.resolve(in.KeyID)
		if k == nil {
			return nil, keyNotFound(in.KeyID)
		}
		if r.Op == "EnableKeyRotation" {
			k.Rotation = true
		}
		return map[string]any{"KeyRotationEnabled": k.Rotation}, nil
	default: // CreateAlias
		k := s.resolve(in.TargetKeyID)
		switch {
		case k == nil:
			return nil, keyNotFound(in.TargetKeyID)
		case s.aliases[in.AliasName] != "":
			return nil, badRequest("AlreadyExistsException", "Alias "+in.AliasName+" already exists")
		}
		s.aliases[in.AliasName] = k.ID
		return nil, nil
	}
}

// resolve finds a key by id, ARN, alias name or alias ARN.
func (s *Server) resolve(ref string) *key {
	if name, ok := strings.CutPrefix(ref, "arn:aws:kms:"+Region+":"+Account+":"); ok && strings.HasPrefix(name, "alias/") {
		ref = name
	}
	if id, ok := s.aliases[ref]; ok {
		ref = id
	}
	for _, k := range s.keys {
		if k.ID == ref || k.ARN == ref {
			return k
		}
	}
	return nil
}

func metadata(k *key) map[string]any {
	return map[string]any{
		"KeyId": k.ID, "Arn": k.ARN, "Description": k.Description, "Enabled": true,
		"KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeyUsage": "ENCRYPT_DECRYPT",
		"AWSAccountId": Account,
	}
}
