package awsfake

import (
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/smithy"
)

// queryInput reads an awsQuery request's form by the input shape: a
// member's key is its xmlName or name, nested structures add ".Member",
// lists ".<member xmlName or 'member'>.N" (".N" when flattened), maps
// ".entry.N.key"/".value".
func queryInput(m *smithy.Model, op string, form url.Values) map[string]any {
	o := m.Operation(op)
	if o.Input == nil {
		return map[string]any{}
	}
	return queryStruct(m, m.Shapes[o.Input.Target], form, "")
}

func queryStruct(m *smithy.Model, s *smithy.Shape, form url.Values, prefix string) map[string]any {
	out := map[string]any{}
	for name, mem := range s.Members {
		if v := queryValue(m, mem, form, prefix+xmlName(name, mem)); v != nil {
			out[name] = v
		}
	}
	return out
}

func queryValue(m *smithy.Model, mem *smithy.Member, form url.Values, key string) any {
	t := m.Target(mem.Target)
	if t == nil {
		return nil
	}
	switch t.Type {
	case "structure", "union":
		if !hasPrefix(form, key+".") {
			return nil
		}
		return queryStruct(m, t, form, key+".")
	case "list", "set", "map":
		if !hasPrefix(form, key+".") {
			if form.Has(key) && form.Get(key) == "" {
				return []any{} // an empty list
			}
			return nil
		}
		if t.Type == "map" {
			return queryMap(m, t, mem, form, key)
		}
		base := key + "." + xmlName("member", t.Member)
		if mem.Traits.Has("smithy.api#xmlFlattened") {
			base = key
		}
		var xs []any
		for i := 1; ; i++ {
			v := queryValue(m, t.Member, form, base+"."+strconv.Itoa(i))
			if v == nil {
				return xs
			}
			xs = append(xs, v)
		}
	}
	if !form.Has(key) {
		return nil
	}
	return form.Get(key)
}

func queryMap(m *smithy.Model, t *smithy.Shape, mem *smithy.Member, form url.Values, key string) any {
	base := key + ".entry"
	if mem.Traits.Has("smithy.api#xmlFlattened") {
		base = key
	}
	out := map[string]any{}
	for i := 1; ; i++ {
		e := base + "." + strconv.Itoa(i) + "."
		if !form.Has(e + xmlName("key", t.Key)) {
			return out
		}
		out[form.Get(e+xmlName("key", t.Key))] = queryValue(m, t.Value, form, e+xmlName("value", t.Value))
	}
}

func hasPrefix(form url.Values, p string) bool {
	for k := range form {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// xnode is an element of an XML document.
type xnode struct {
	name string
	text string
	kids []*xnode
}

func parseXML(body []byte) (*xnode, error) {
	d := xml.NewDecoder(strings.NewReader(string(body)))
	root := &xnode{}
	stack := []*xnode{root}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name.Local}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(t)
		}
	}
	if len(root.kids) != 1 {
		return nil, errors.New("not one root element")
	}
	return root.kids[0], nil
}

// xmlValue reads an element by the member's target shape.
func xmlValue(m *smithy.Model, mem *smithy.Member, n *xnode) any {
	t := m.Target(mem.Target)
	if t == nil {
		return nil
	}
	switch t.Type {
	case "structure", "union":
		return xmlStruct(m, t, n)
	case "list", "set":
		xs := []any{}
		for _, k := range n.kids {
			xs = append(xs, xmlValue(m, t.Member, k))
		}
		return xs
	}
	return strings.TrimSpace(n.text)
}

func xmlStruct(m *smithy.Model, s *smithy.Shape, n *xnode) map[string]any {
	out := map[string]any{}
	for name, mem := range s.Members {
		xn := xmlName(name, mem)
		var kids []*xnode
		for _, k := range n.kids {
			if k.name == xn {
				kids = append(kids, k)
			}
		}
		if len(kids) == 0 {
			continue
		}
		if t := m.Target(mem.Target); t != nil && t.Type == "list" && mem.Traits.Has("smithy.api#xmlFlattened") {
			xs := []any{}
			for _, k := range kids {
				xs = append(xs, xmlValue(m, t.Member, k))
			}
			out[name] = xs
			continue
		}
		out[name] = xmlValue(m, mem, kids[0])
	}
	return out
}
