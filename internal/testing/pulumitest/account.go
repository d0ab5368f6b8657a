package pulumitest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Holding is a physical name the fake AWS account holds: one record of
// the fake provider's account store (EnvFakeAWSAccount; the format is
// tools/fake-aws-provider/account.go's). A create writes it, a delete
// removes it: the account's holdings are what exists in the fake cloud.
type Holding struct {
	Type   string `json:"type"`
	Region string `json:"region"`
	Scope  string `json:"scope"`
	Name   string `json:"name"`
	URN    string `json:"urn"`
	ID     string `json:"id"`
}

// Holdings returns the names of type typ that the fake account in dir
// holds, sorted by name. A directory not yet made holds none.
func Holdings(dir, typ string) ([]Holding, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fake account: %w", err)
	}
	var out []Holding
	for _, e := range entries {
		// Records being written are dot files, linked into place whole.
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("fake account: %w", err)
		}
		var h Holding
		if err := json.Unmarshal(b, &h); err != nil {
			return nil, fmt.Errorf("fake account: %s: %w", e.Name(), err)
		}
		if h.Type == typ {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
