package iamreplay

import (
	"fmt"
	"net/url"
	"strings"
)

// input is a request's members as awsfake decoded them.
type input map[string]any

// str is a string member, or "".
func (in input) str(name string) string {
	if v, ok := in[name]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// tags reads a list of {Key, Value} members (RDS's and most services'
// Tags) or a map (EKS's, SQS's).
func (in input) tags(name string) map[string]string {
	out := map[string]string{}
	switch v := in[name].(type) {
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out[fmt.Sprint(m["Key"])] = fmt.Sprint(m["Value"])
			}
		}
	case map[string]any:
		for k, x := range v {
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}

// copySource splits S3's CopySource ("bucket/key?versionId=v", URL
// encoded, with or without a leading slash).
func (in input) copySource() (bucket, key, version string) {
	src := strings.TrimPrefix(in.str("CopySource"), "/")
	src, query, _ := strings.Cut(src, "?")
	if u, err := url.PathUnescape(src); err == nil {
		src = u
	}
	bucket, key, _ = strings.Cut(src, "/")
	if q, err := url.ParseQuery(query); err == nil {
		version = q.Get("versionId")
	}
	return bucket, key, version
}
