package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// EnvAccount names a directory that stands for the AWS account: the
// physical names its resources hold (names.go), one file per name. A
// create records the name and refuses one already held, as AWS does; a
// delete frees it. The directory outlives a plugin process, so the
// engine's runs (and its concurrent plugin processes) share one account.
// Without it the fake keeps no names: what exists is what the Pulumi state
// says exists.
const EnvAccount = "MLOPS_FAKE_AWS_ACCOUNT"

// account is the store of held names; a nil account holds none.
type account struct{ dir string }

// newAccount opens the account directory dir, creating it; "" is none.
func newAccount(dir string) (*account, error) {
	if dir == "" {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvAccount, err)
	}
	return &account{dir: dir}, nil
}

// holding is the record of a held name.
type holding struct {
	Type   string `json:"type"`
	Region string `json:"region"`
	Scope  string `json:"scope,omitempty"`
	Name   string `json:"name"`
	URN    string `json:"urn"`
	ID     string `json:"id"`
	// Attributes fingerprints the inputs, for SQS's same-attributes rule.
	Attributes string `json:"attributes,omitempty"`
}

// namespace is the type whose names a type shares: S3's two bucket types
// name buckets in one namespace.
func namespace(typ string) string {
	if typ == "aws:s3/bucket:Bucket" {
		return "aws:s3/bucketV2:BucketV2"
	}
	return typ
}

// lookup returns the holding a resource's inputs would take, and false
// when its type keeps no unique names or the inputs name none.
func (a *account) lookup(urn resource.URN, region, id string, in resource.PropertyMap) (nameRule, holding, bool) {
	typ := string(urn.Type())
	r, ok := nameRules[typ]
	if a == nil || !ok {
		return r, holding{}, false
	}
	scope, name, ok := r.physicalName(in)
	if !ok && r.idNamed && id != "" {
		name, ok = id, true
	}
	if r.global {
		region = "global"
	}
	return r, holding{Type: namespace(typ), Region: region, Scope: scope, Name: name, URN: string(urn), ID: id,
		Attributes: fingerprint(in)}, ok
}

func (a *account) path(h holding) string {
	sum := sha256.Sum256([]byte(h.Type + "\x00" + h.Region + "\x00" + h.Scope + "\x00" + h.Name))
	return filepath.Join(a.dir, hex.EncodeToString(sum[:16])+".json")
}

// claim records the name of a resource being created with id. It returns
// the ID to report: id, or the existing resource's where AWS's create
// returns that (names.go); or AWS's error for a name already held.
func (a *account) claim(urn resource.URN, region, id string, in resource.PropertyMap) (string, error) {
	r, h, ok := a.lookup(urn, region, id, in)
	if !ok {
		return id, nil
	}
	held, err := a.create(h)
	if err != nil || held == nil {
		return id, err
	}
	on := r.on
	if h.Type == "aws:s3/bucketV2:BucketV2" && region == "us-east-1" {
		on = returnExisting
	}
	switch {
	case on == returnExisting, on == sameAttributes && held.Attributes == h.Attributes:
		return held.ID, nil
	case on == upsert:
		return id, a.write(h, true)
	}
	return "", r.refusal(h.Name, h.Scope, region)
}

// create writes h unless its name is held, and returns the holding that
// holds it. The record is written whole to a temporary file and linked
// into place: a link fails if the name exists, in every process at once.
func (a *account) create(h holding) (*holding, error) {
	err := a.write(h, false)
	if !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	b, err := os.ReadFile(a.path(h))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvAccount, err)
	}
	var held holding
	if err := json.Unmarshal(b, &held); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", EnvAccount, a.path(h), err)
	}
	return &held, nil
}

// write puts h in place, replacing a record only when replace is set.
func (a *account) write(h holding, replace bool) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(a.dir, ".new-*")
	if err != nil {
		return fmt.Errorf("%s: %w", EnvAccount, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", EnvAccount, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", EnvAccount, err)
	}
	if replace {
		return os.Rename(tmp.Name(), a.path(h))
	}
	return os.Link(tmp.Name(), a.path(h))
}

// release frees the name a deleted resource held, when the record is the
// resource's (same ID).
func (a *account) release(urn resource.URN, region, id string, in resource.PropertyMap) error {
	_, h, ok := a.lookup(urn, region, id, in)
	if !ok {
		return nil
	}
	b, err := os.ReadFile(a.path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var held holding
	if err == nil {
		err = json.Unmarshal(b, &held)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", EnvAccount, err)
	}
	if held.ID != id {
		return nil
	}
	if err := os.Remove(a.path(h)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", EnvAccount, err)
	}
	return nil
}

// rename moves a resource's record when an update changes its name in
// place: the new name is claimed first (and refused if held), then the
// old one freed.
func (a *account) rename(urn resource.URN, region, id string, olds, news resource.PropertyMap) error {
	_, oldH, oldOK := a.lookup(urn, region, id, olds)
	_, newH, newOK := a.lookup(urn, region, id, news)
	if oldOK && newOK && a.path(oldH) == a.path(newH) {
		return nil
	}
	if newOK {
		got, err := a.claim(urn, region, id, news)
		if err != nil {
			return err
		}
		if got != id {
			return fmt.Errorf("renaming %s to %s: the name is %s's", id, newH.Name, got)
		}
	}
	return a.release(urn, region, id, olds)
}

// fingerprint is the inputs that are a resource's attributes: all but its
// name and tags.
func fingerprint(in resource.PropertyMap) string {
	m := plainMap(in)
	for _, k := range []string{"name", "namePrefix", "tags", "tagsAll"} {
		delete(m, k)
	}
	b, _ := json.Marshal(m) // plain values always marshal
	return string(b)
}

// freeName frees the name a deleted resource held, read from its old
// inputs (its outputs, from an engine that sends no old inputs).
func (p *Provider) freeName(req *pulumirpc.DeleteRequest, olds resource.PropertyMap) error {
	if p.account == nil {
		return nil
	}
	if req.GetOldInputs() != nil {
		in, err := plugin.UnmarshalProperties(req.GetOldInputs(), marshal)
		if err != nil {
			return err
		}
		olds = in
	}
	return p.account.release(resource.URN(req.GetUrn()), p.region, req.GetId(), olds)
}

// renamed moves the record of a resource an update renames in place.
func (p *Provider) renamed(req *pulumirpc.UpdateRequest, news resource.PropertyMap) error {
	if p.account == nil || req.GetPreview() {
		return nil
	}
	oldS := req.GetOldInputs()
	if oldS == nil {
		oldS = req.GetOlds()
	}
	olds, err := plugin.UnmarshalProperties(oldS, marshal)
	if err != nil {
		return err
	}
	return p.account.rename(resource.URN(req.GetUrn()), p.region, req.GetId(), olds, news)
}
