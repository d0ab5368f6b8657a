package main

import (
	"encoding/json"
	"os"
	"testing"
)

// TestSchemaCoversEveryProgramType: schema.json has a type for every aws
// resource token internal/typetoken names (in any of its files), so the
// fake provider never refuses a type the program registers for want of a
// schema; run `go run ./schemagen` when this fails.
func TestSchemaCoversEveryProgramType(t *testing.T) {
	tokens, err := programTokens("../../../internal/typetoken")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s Schema
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if len(tokens) < 40 {
		t.Fatalf("found %d tokens in internal/typetoken; too few to mean anything", len(tokens))
	}
	for _, tok := range tokens {
		if s.Resources[tok] == nil {
			t.Errorf("schema.json lacks %s: run go run ./schemagen", tok)
		}
	}
}
