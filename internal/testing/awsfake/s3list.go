package awsfake

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// listObjectVersions lists every version and delete marker of the keys
// with the prefix: keys in order, each key's versions newest first (one
// page).
func listObjectVersions(b *Bucket, name, prefix string) (any, error) {
	type version struct {
		Key          string
		VersionID    string `xml:"VersionId"`
		IsLatest     bool
		LastModified string
		ETag         string `xml:",omitempty"`
		Size         *int   `xml:",omitempty"`
		StorageClass string `xml:",omitempty"`
	}
	out := struct {
		XMLName       xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
		Name          string
		Prefix        string
		MaxKeys       int
		IsTruncated   bool
		Versions      []version `xml:"Version"`
		DeleteMarkers []version `xml:"DeleteMarker"`
	}{Name: name, Prefix: prefix, MaxKeys: 1000}
	for _, key := range sortedKeys(b.objects) {
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		for i, v := range b.objects[key] {
			e := version{Key: key, VersionID: v.ID, IsLatest: i == 0, LastModified: v.Modified.Format(time.RFC3339)}
			if v.DeleteMarker {
				out.DeleteMarkers = append(out.DeleteMarkers, e)
				continue
			}
			size := len(v.Body)
			e.ETag, e.Size, e.StorageClass = v.etag(), &size, "STANDARD"
			out.Versions = append(out.Versions, e)
		}
	}
	return xml.Marshal(out)
}

// listEntry is one line of a ListObjectsV2 page: an object, or the common
// prefix that rolls up the keys sharing it up to the delimiter.
type listEntry struct {
	key, commonPrefix string
	v                 *ObjectVersion
}

func (e listEntry) name() string { return e.key + e.commonPrefix }

// listObjectsV2 lists the keys whose newest version is not a delete
// marker, in UTF-8 binary order, as the S3 API Reference describes
// ListObjectsV2: prefix, delimiter (keys rolled up into CommonPrefixes,
// each counting once against max-keys), start-after, and pages of at most
// max-keys (1000) entries continued by an opaque token.
func listObjectsV2(b *Bucket, name string, q url.Values) (any, error) {
	if q.Has("encoding-type") {
		return nil, &APIError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: "encoding-type is not implemented by the fake"}
	}
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	maxKeys := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, badRequest("InvalidArgument", "Provided max-keys not an integer or within integer range")
		}
		maxKeys = min(n, 1000)
	}
	after := q.Get("start-after")
	if tok := q.Get("continuation-token"); tok != "" {
		raw, err := base64.StdEncoding.DecodeString(tok)
		if err != nil || len(raw) == 0 {
			return nil, badRequest("InvalidArgument", "The continuation token provided is incorrect")
		}
		after = string(raw)
	}
	entries := listEntries(b, prefix, delim, after)
	type content struct {
		Key          string
		LastModified string
		ETag         string
		Size         int
		StorageClass string
	}
	type commonPrefix struct{ Prefix string }
	out := struct {
		XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
		Name                  string
		Prefix                string
		Delimiter             string `xml:",omitempty"`
		MaxKeys               int
		KeyCount              int
		IsTruncated           bool
		ContinuationToken     string         `xml:",omitempty"`
		NextContinuationToken string         `xml:",omitempty"`
		StartAfter            string         `xml:",omitempty"`
		Contents              []content      `xml:"Contents"`
		CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
	}{Name: name, Prefix: prefix, Delimiter: delim, MaxKeys: maxKeys, ContinuationToken: q.Get("continuation-token"), StartAfter: q.Get("start-after")}
	if len(entries) > maxKeys {
		out.IsTruncated = true
		entries = entries[:maxKeys]
		out.NextContinuationToken = base64.StdEncoding.EncodeToString([]byte(entries[len(entries)-1].name()))
	}
	out.KeyCount = len(entries)
	for _, e := range entries {
		if e.v == nil {
			out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{e.commonPrefix})
			continue
		}
		out.Contents = append(out.Contents, content{Key: e.key, LastModified: e.v.Modified.Format(time.RFC3339),
			ETag: e.v.etag(), Size: len(e.v.Body), StorageClass: "STANDARD"})
	}
	return xml.Marshal(out)
}

// listEntries are the live keys with the prefix after the marker after,
// rolled up by the delimiter; a common prefix equal to after (the last
// entry of the previous page) is not listed again.
func listEntries(b *Bucket, prefix, delim, after string) []listEntry {
	var out []listEntry
	for _, key := range sortedKeys(b.objects) {
		v := b.latest(key)
		if v == nil || !strings.HasPrefix(key, prefix) {
			continue
		}
		e := listEntry{key: key, v: v}
		if i := strings.Index(key[len(prefix):], delim); delim != "" && i >= 0 {
			e = listEntry{commonPrefix: key[:len(prefix)+i+len(delim)]}
		}
		if e.name() <= after && e.v != nil || e.v == nil && (e.commonPrefix == after || e.commonPrefix < after && !strings.HasPrefix(after, e.commonPrefix)) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].v == nil && out[n-1].commonPrefix == e.commonPrefix && e.v == nil {
			continue
		}
		out = append(out, e)
	}
	return out
}
