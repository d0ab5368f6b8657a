package awsfake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"fmt"
)

// Encrypt and Decrypt of a symmetric key. A ciphertext blob names the key
// that made it and is sealed (AES-256-GCM) with that key's own material,
// the encryption context as additional authenticated data: it decrypts
// only under its key and with the same context, as the KMS API Reference
// states for Decrypt (the model's IncorrectKeyException and
// InvalidCiphertextException, third_party/aws-api-models/operations).

// blobVersion opens every ciphertext blob the fake makes.
const blobVersion = 1

// symmetricDefault is the only algorithm of a symmetric encryption key.
const symmetricDefault = "SYMMETRIC_DEFAULT"

type cryptInput struct {
	KeyID               string `json:"KeyId"`
	Plaintext           []byte
	CiphertextBlob      []byte
	EncryptionContext   map[string]string
	EncryptionAlgorithm string
}

func newKeyMaterial() ([]byte, error) {
	m := make([]byte, 32)
	if _, err := rand.Read(m); err != nil {
		return nil, fmt.Errorf("awsfake: key material: %w", err)
	}
	return m, nil
}

func (k *key) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.material)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// aad is the encryption context as authenticated data: JSON with the keys
// sorted (encoding/json sorts map keys), so its order does not matter.
func aad(ctx map[string]string) []byte {
	if len(ctx) == 0 {
		return nil
	}
	b, _ := json.Marshal(ctx)
	return b
}

func kmsCrypt(s *Server, r *Request) (any, error) {
	var in cryptInput
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("SerializationException", err.Error())
	}
	if in.EncryptionAlgorithm != "" && in.EncryptionAlgorithm != symmetricDefault {
		return nil, badRequest("InvalidKeyUsageException", "The encryption algorithm "+in.EncryptionAlgorithm+" is not supported by a symmetric key")
	}
	if r.Op == "Encrypt" {
		return s.encrypt(in)
	}
	return s.decrypt(in)
}

func (s *Server) encrypt(in cryptInput) (any, error) {
	k := s.resolve(in.KeyID)
	if k == nil {
		return nil, badRequest("NotFoundException", "Key '"+in.KeyID+"' does not exist")
	}
	g, err := k.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	blob := append([]byte{blobVersion, byte(len(k.ID))}, k.ID...)
	blob = append(blob, nonce...)
	blob = g.Seal(blob, nonce, in.Plaintext, aad(in.EncryptionContext))
	return map[string]any{"CiphertextBlob": blob, "KeyId": k.ARN, "EncryptionAlgorithm": symmetricDefault}, nil
}

func (s *Server) decrypt(in cryptInput) (any, error) {
	invalid := badRequest("InvalidCiphertextException", "")
	b := in.CiphertextBlob
	if len(b) < 2 || b[0] != blobVersion || len(b) < 2+int(b[1]) {
		return nil, invalid
	}
	owner := s.resolve(string(b[2 : 2+int(b[1])]))
	if owner == nil {
		return nil, invalid
	}
	if in.KeyID != "" {
		named := s.resolve(in.KeyID)
		switch {
		case named == nil:
			return nil, badRequest("NotFoundException", "Key '"+in.KeyID+"' does not exist")
		case named != owner:
			return nil, badRequest("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
		}
	}
	g, err := owner.aead()
	if err != nil {
		return nil, err
	}
	rest := b[2+int(b[1]):]
	if len(rest) < g.NonceSize() {
		return nil, invalid
	}
	plain, err := g.Open(nil, rest[:g.NonceSize()], rest[g.NonceSize():], aad(in.EncryptionContext))
	if err != nil {
		return nil, invalid
	}
	return map[string]any{"Plaintext": plain, "KeyId": owner.ARN, "EncryptionAlgorithm": symmetricDefault}, nil
}
