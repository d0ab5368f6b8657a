package spec

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigNamespace prefixes every key of ours in Pulumi configuration.
const ConfigNamespace = ProjectName + ":"

// ParseStackConfig reads the content of a Pulumi.<stack>.yaml file and returns
// the overrides under the mlops-platform namespace. A key the program does
// not read (aws:region, a key without a namespace, a misspelt namespace;
// foreignKeys) is an error saying which key was meant; pulumi: keys are
// Pulumi's own. Secure values are refused because no key of ours is a
// secret.
func ParseStackConfig(content []byte) (Overrides, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil, fmt.Errorf("parsing stack configuration: %w", err)
	}
	root, err := nodeValue(&doc)
	if err != nil {
		return nil, fmt.Errorf("parsing stack configuration: %w", err)
	}
	out := Overrides{}
	if root == nil {
		return out, nil
	}
	top, ok := root.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("stack configuration: the file must be a mapping with a config: section")
	}
	cfg, ok := top["config"]
	if !ok || cfg == nil {
		return out, nil
	}
	m, ok := cfg.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("stack configuration: config: must be a mapping of keys")
	}
	if errs := foreignKeys(m); len(errs) > 0 {
		return nil, errs
	}
	for k, v := range m {
		name, ours := strings.CutPrefix(k, ConfigNamespace)
		if !ours {
			continue
		}
		if sm, ok := v.(map[string]any); ok {
			if _, secure := sm["secure"]; secure && len(sm) == 1 {
				return nil, fmt.Errorf("%s: secret values are not accepted; no key of %s holds a secret", name, ProjectName)
			}
		}
		out[name] = v
	}
	return withAWSSettings(out, m), nil
}

// ParseEngineConfig reads configuration as the Pulumi engine hands it to a
// program (the PULUMI_CONFIG map: "namespace:key" to text, objects as JSON).
func ParseEngineConfig(raw map[string]string) (Overrides, error) {
	out := Overrides{}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name, ours := strings.CutPrefix(k, ConfigNamespace)
		if !ours {
			continue
		}
		v, err := parseValue(raw[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = v
	}
	rawAny := make(map[string]any, len(raw))
	for k, v := range raw {
		rawAny[k] = v
	}
	return withAWSSettings(out, rawAny), nil
}
