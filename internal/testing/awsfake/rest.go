package awsfake

import (
	"net/http"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/smithy"
)

// restInput reads a REST request (restJson1, restXml) by the input shape's
// HTTP binding traits: labels from the path by the operation's http URI,
// query parameters, headers, prefix headers, the payload member, and for
// restJson1 the other members from the JSON body.
func restInput(m *smithy.Model, r *Request, p protocol) (map[string]any, error) {
	o := m.Operation(r.Op)
	out := map[string]any{}
	if o.Input == nil {
		return out, nil
	}
	var h struct{ URI string }
	if _, err := o.Traits.Decode("smithy.api#http", &h); err != nil {
		return nil, err
	}
	labels := uriLabels(h.URI, r.HTTP.URL.Path)
	var body map[string]any
	for name, mem := range m.Shapes[o.Input.Target].Members {
		v, err := restMember(m, r, p, labels, mem, &body, name)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[name] = v
		}
	}
	return out, nil
}

func restMember(m *smithy.Model, r *Request, p protocol, labels map[string]string, mem *smithy.Member, body *map[string]any, name string) (any, error) {
	tr, t := mem.Traits, m.Target(mem.Target)
	isList := t != nil && (t.Type == "list" || t.Type == "set")
	switch {
	case tr.Has("smithy.api#httpLabel"):
		if v, ok := labels[name]; ok {
			return v, nil
		}
	case tr.Has("smithy.api#httpQuery"):
		vs, ok := r.HTTP.URL.Query()[tr.String("smithy.api#httpQuery")]
		if ok && isList {
			return toAny(vs), nil
		}
		if ok {
			return vs[0], nil
		}
	case tr.Has("smithy.api#httpHeader"):
		vs := r.HTTP.Header.Values(tr.String("smithy.api#httpHeader"))
		if len(vs) > 0 && isList {
			return splitList(strings.Join(vs, ",")), nil
		}
		if len(vs) > 0 {
			return vs[0], nil
		}
	case tr.Has("smithy.api#httpPrefixHeaders"):
		return prefixHeaders(r.HTTP.Header, tr.String("smithy.api#httpPrefixHeaders")), nil
	case tr.Has("smithy.api#httpPayload"):
		return payload(m, mem, t, r, p)
	case tr.Has("smithy.api#httpQueryParams"), tr.Has("smithy.api#httpResponseCode"):
	case p == restJSON:
		if *body == nil {
			b, err := jsonObject(r.Body)
			if err != nil {
				return nil, err
			}
			*body = b
		}
		return (*body)[name], nil
	}
	return nil, nil
}

// payload reads the member bound to the whole body: a structure as JSON
// or XML, a string or blob as the bytes sent; a streaming blob is not read.
func payload(m *smithy.Model, mem *smithy.Member, t *smithy.Shape, r *Request, p protocol) (any, error) {
	if len(r.Body) == 0 || t == nil || t.Traits.Has("smithy.api#streaming") {
		return nil, nil
	}
	switch t.Type {
	case "structure", "union":
		if p == restJSON {
			return jsonObject(r.Body)
		}
		root, err := parseXML(r.Body)
		if err != nil {
			return nil, badRequest("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: "+err.Error())
		}
		return xmlStruct(m, t, root), nil
	case "string":
		return string(r.Body), nil
	}
	return r.Body, nil
}

func prefixHeaders(h http.Header, prefix string) any {
	out := map[string]any{}
	for k, vs := range h {
		if rest, ok := strings.CutPrefix(strings.ToLower(k), strings.ToLower(prefix)); ok {
			out[rest] = strings.Join(vs, ",")
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// uriLabels matches a path against an http trait's URI (its path part),
// returning the label values; {Name+} takes the rest of the path.
func uriLabels(uri, path string) map[string]string {
	uri, _, _ = strings.Cut(uri, "?")
	us := strings.Split(strings.TrimPrefix(uri, "/"), "/")
	ps := strings.Split(strings.TrimPrefix(path, "/"), "/")
	out := map[string]string{}
	for i, u := range us {
		if !strings.HasPrefix(u, "{") || i >= len(ps) {
			continue
		}
		name := strings.Trim(u, "{}")
		if n, ok := strings.CutSuffix(name, "+"); ok {
			out[n] = strings.Join(ps[i:], "/")
			continue
		}
		out[name] = ps[i]
	}
	return out
}

func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
