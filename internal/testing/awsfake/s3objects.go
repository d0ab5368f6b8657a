package awsfake

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ObjectVersion is one stored version of an object.
type ObjectVersion struct {
	ID       string
	Body     []byte
	Modified time.Time
	// DeleteMarker says the version is the marker a DeleteObject without
	// a version ID leaves in a versioned bucket: the key then reads as
	// absent, and its older versions stay.
	DeleteMarker bool
	// checksum is the x-amz-checksum-* the upload carried, if any.
	checksum checksum
}

func (v *ObjectVersion) etag() string {
	sum := md5.Sum(v.Body)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// PutObject stores body as the newest version of bucket/key (replacing
// the only version when the bucket's versioning is not enabled) and
// returns the version ID ("" when there is no such bucket).
func (s *Server) PutObject(bucket, key string, body []byte, modified time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucket]
	if b == nil {
		return ""
	}
	return s.putObject(b, key, body, modified)
}

// ObjectVersions returns the version IDs of bucket/key, newest first.
func (s *Server) ObjectVersions(bucket, key string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	if b := s.buckets[bucket]; b != nil {
		for _, v := range b.objects[key] {
			ids = append(ids, v.ID)
		}
	}
	return ids
}

func (s *Server) putObject(b *Bucket, key string, body []byte, modified time.Time) string {
	if b.objects == nil {
		b.objects = map[string][]*ObjectVersion{}
	}
	s.versionSeq++
	v := &ObjectVersion{ID: "null", Body: bytes.Clone(body), Modified: modified.UTC().Truncate(time.Second)}
	if b.versioned() {
		v.ID = fmt.Sprintf("v%06d", s.versionSeq)
		b.objects[key] = append([]*ObjectVersion{v}, b.objects[key]...)
	} else {
		b.objects[key] = []*ObjectVersion{v}
	}
	return v.ID
}

func (b *Bucket) versioned() bool {
	return bytes.Contains(b.Versioning, []byte("<Status>Enabled</Status>"))
}

// errDeleteMarker is the answer for a key whose newest version is a
// delete marker.
var errDeleteMarker = notFound("NoSuchKey", "The specified key does not exist.")

// latest is the newest version of key that is not deleted, or nil.
func (b *Bucket) latest(key string) *ObjectVersion {
	if vs := b.objects[key]; len(vs) > 0 && !vs[0].DeleteMarker {
		return vs[0]
	}
	return nil
}

// version finds a version of key; the newest without an id.
func (b *Bucket) version(key, id string) (*ObjectVersion, error) {
	vs := b.objects[key]
	if len(vs) == 0 {
		return nil, notFound("NoSuchKey", "The specified key does not exist.")
	}
	if id == "" && vs[0].DeleteMarker {
		return nil, errDeleteMarker
	}
	if id == "" {
		return vs[0], nil
	}
	for _, v := range vs {
		if v.ID == id && v.DeleteMarker {
			return nil, &APIError{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource."}
		}
		if v.ID == id {
			return v, nil
		}
	}
	return nil, notFound("NoSuchVersion", "The specified version does not exist.")
}

// s3ObjectOperation names the operation of a request on an object.
func s3ObjectOperation(r *http.Request) string {
	switch r.Method {
	case http.MethodGet:
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodDelete:
		return "DeleteObject"
	case http.MethodPut:
		if r.Header.Get("X-Amz-Copy-Source") != "" {
			return "CopyObject"
		}
		return "PutObject"
	}
	return r.Method + " " + r.URL.String()
}

// s3Object answers an object operation on bucket b.
func (s *Server) s3Object(r *Request, b *Bucket, op, key string) (any, error) {
	q := r.HTTP.URL.Query()
	switch op {
	case "GetObject", "HeadObject":
		v, err := b.version(key, q.Get("versionId"))
		if err != nil {
			if vs := b.objects[key]; len(vs) > 0 && vs[0].DeleteMarker {
				r.Header.Set("X-Amz-Delete-Marker", "true")
			}
			return nil, err
		}
		if err := preconditions(r.HTTP.Header, v); err != nil {
			return nil, err
		}
		r.Header.Set("ETag", v.etag())
		r.Header.Set("Last-Modified", v.Modified.Format(http.TimeFormat))
		r.Header.Set("X-Amz-Version-Id", v.ID)
		r.Header.Set("Content-Type", "application/octet-stream")
		if strings.EqualFold(r.HTTP.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
			setChecksum(r.Header, v.checksum)
		}
		if op == "HeadObject" {
			r.Header.Set("Content-Length", fmt.Sprint(len(v.Body)))
			return nil, nil
		}
		return v.Body, nil
	case "DeleteObject":
		return s.deleteObject(r, b, key, q.Get("versionId"))
	case "PutObject":
		body, sum, err := payloadBytes(r)
		if err != nil {
			return nil, err
		}
		if err := preconditions(r.HTTP.Header, b.latest(key)); err != nil {
			return nil, err
		}
		v := s.putObject(b, key, body, time.Now())
		b.objects[key][0].checksum = sum
		r.Header.Set("X-Amz-Version-Id", v)
		r.Header.Set("ETag", b.objects[key][0].etag())
		setChecksum(r.Header, sum)
		return nil, nil
	}
	return s.copyObject(r, b, key)
}

// deleteObject deletes a version, or without one the key: in a versioned
// bucket by a new delete marker, otherwise by removing its only version.
func (s *Server) deleteObject(r *Request, b *Bucket, key, id string) (any, error) {
	if id == "" && b.versioned() {
		s.versionSeq++
		m := &ObjectVersion{ID: fmt.Sprintf("v%06d", s.versionSeq), DeleteMarker: true, Modified: time.Now().UTC().Truncate(time.Second)}
		if b.objects == nil {
			b.objects = map[string][]*ObjectVersion{}
		}
		b.objects[key] = append([]*ObjectVersion{m}, b.objects[key]...)
		r.Header.Set("X-Amz-Delete-Marker", "true")
		r.Header.Set("X-Amz-Version-Id", m.ID)
		return nil, nil
	}
	if id == "" {
		id = "null"
	}
	vs := b.objects[key]
	for i, v := range vs {
		if v.ID != id {
			continue
		}
		b.objects[key] = append(vs[:i:i], vs[i+1:]...)
		if len(b.objects[key]) == 0 {
			delete(b.objects, key)
		}
		r.Header.Set("X-Amz-Version-Id", v.ID)
		if v.DeleteMarker {
			r.Header.Set("X-Amz-Delete-Marker", "true")
		}
	}
	return nil, nil
}

// copyObject copies the version x-amz-copy-source names into key; with
// x-amz-checksum-algorithm SHA256 the result carries the copy's SHA-256.
func (s *Server) copyObject(r *Request, dst *Bucket, key string) (any, error) {
	source, err := url.PathUnescape(r.HTTP.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return nil, badRequest("InvalidArgument", "Invalid copy source encoding")
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(source, "/"), "?")
	bucket, srcKey, ok := strings.Cut(path, "/")
	values, _ := url.ParseQuery(query)
	src := s.buckets[bucket]
	switch {
	case !ok:
		return nil, badRequest("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	case src == nil:
		return nil, notFound("NoSuchBucket", "The specified bucket does not exist")
	}
	v, err := src.version(srcKey, values.Get("versionId"))
	if err != nil {
		return nil, err
	}
	id := s.putObject(dst, key, v.Body, time.Now())
	r.Header.Set("X-Amz-Version-Id", id)
	r.Header.Set("X-Amz-Copy-Source-Version-Id", v.ID)
	out := struct {
		XMLName        xml.Name `xml:"CopyObjectResult"`
		ETag           string
		LastModified   string
		ChecksumSHA256 string `xml:",omitempty"`
	}{ETag: v.etag(), LastModified: time.Now().UTC().Format(time.RFC3339)}
	if strings.EqualFold(r.HTTP.Header.Get("X-Amz-Checksum-Algorithm"), "SHA256") {
		sum := sha256.Sum256(v.Body)
		out.ChecksumSHA256 = base64.StdEncoding.EncodeToString(sum[:])
	}
	return xml.Marshal(out)
}

// setChecksum answers with an object's stored checksum, as S3 does to a
// PutObject and, with x-amz-checksum-mode ENABLED, a GetObject or
// HeadObject.
func setChecksum(h http.Header, sum checksum) {
	if sum.header != "" {
		h.Set(sum.header, sum.value)
		h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
	}
}
