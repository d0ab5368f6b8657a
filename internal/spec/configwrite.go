package spec

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// SetStackConfig returns the content of a Pulumi.<stack>.yaml file with
// keys of ours set: each dotted key (nodeGroups.general.minSize) is
// written as Pulumi nests it (config: → mlops-platform:nodeGroups: →
// general: → minSize:). Everything else, comments included, is kept.
// Empty content starts a new file.
func SetStackConfig(content []byte, values map[string]any) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil, fmt.Errorf("parsing stack configuration: %w", err)
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("stack configuration: the file must be a mapping with a config: section")
	}
	cfg, err := child(root, "config")
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.Split(k, ".")
		parts[0] = ConfigNamespace + parts[0]
		m := cfg
		for _, p := range parts[:len(parts)-1] {
			if m, err = child(m, p); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
		}
		var v yaml.Node
		if err := v.Encode(values[k]); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		set(m, parts[len(parts)-1], &v)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("writing stack configuration: %w", err)
	}
	return buf.Bytes(), nil
}

// child returns the mapping under key in m, adding an empty one when the
// key is missing or null.
func child(m *yaml.Node, key string) (*yaml.Node, error) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			continue
		}
		v := m.Content[i+1]
		switch {
		case v.Kind == yaml.MappingNode:
			return v, nil
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			*v = yaml.Node{Kind: yaml.MappingNode}
			return v, nil
		}
		return nil, fmt.Errorf("%s is not a mapping", key)
	}
	v := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v, nil
}

// set replaces or adds key in mapping m.
func set(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v.HeadComment, v.LineComment = m.Content[i+1].HeadComment, m.Content[i+1].LineComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}
