package awsfake

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// What S3 checks of an upload, as the S3 API Reference states it: the
// signed x-amz-content-sha256 and Content-MD5 against the body
// (XAmzContentSHA256Mismatch, BadDigest), an aws-chunked body decoded to
// x-amz-decoded-content-length bytes, and an x-amz-checksum-* value, sent
// as a header or a trailer, against the decoded body (BadDigest).

// checksums are the x-amz-checksum-* algorithms the fake verifies.
var checksums = map[string]func() hash.Hash{
	"x-amz-checksum-crc32":  func() hash.Hash { return crc32.NewIEEE() },
	"x-amz-checksum-crc32c": func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) },
	"x-amz-checksum-sha1":   sha1.New,
	"x-amz-checksum-sha256": sha256.New,
}

func badDigest(what string) error {
	return badRequest("BadDigest", "The "+what+" you specified did not match the calculated checksum.")
}

// checksum is an object's x-amz-checksum-* header and its value.
type checksum struct{ header, value string }

// payloadBytes is an upload's object body, checked as S3 checks it, and
// the checksum it carried (S3 stores it with the object).
func payloadBytes(r *Request) ([]byte, checksum, error) {
	h := r.HTTP.Header
	body := r.Body
	sha := h.Get("X-Amz-Content-Sha256")
	trailers := http.Header{}
	chunked := strings.HasPrefix(sha, "STREAMING-") || strings.Contains(h.Get("Content-Encoding"), "aws-chunked")
	switch {
	case chunked:
		var err error
		if body, err = decodeChunked(r.Body, trailers); err != nil {
			return nil, checksum{}, badRequest("IncompleteBody", "The aws-chunked body is malformed: "+err.Error())
		}
		if n := h.Get("X-Amz-Decoded-Content-Length"); n != strconv.Itoa(len(body)) {
			return nil, checksum{}, badRequest("IncompleteBody", "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header")
		}
	case sha == "" || sha == "UNSIGNED-PAYLOAD":
	default:
		sum := sha256.Sum256(body)
		if hex.EncodeToString(sum[:]) != sha {
			return nil, checksum{}, badRequest("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
	}
	if m := h.Get("Content-Md5"); m != "" {
		sum := md5.Sum(body)
		if base64.StdEncoding.EncodeToString(sum[:]) != m {
			return nil, checksum{}, badDigest("Content-MD5")
		}
	}
	var sum checksum
	for name, newHash := range checksums {
		want := h.Get(name)
		if want == "" {
			want = trailers.Get(name)
		}
		if want == "" {
			continue
		}
		d := newHash()
		d.Write(body)
		if base64.StdEncoding.EncodeToString(d.Sum(nil)) != want {
			return nil, checksum{}, badDigest(strings.ToUpper(strings.TrimPrefix(name, "x-amz-checksum-")))
		}
		sum = checksum{name, want}
	}
	if t := strings.ToLower(h.Get("X-Amz-Trailer")); t != "" && checksums[t] == nil {
		return nil, checksum{}, &APIError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: "the fake does not verify the trailer " + t}
	}
	return body, sum, nil
}

// decodeChunked reads an aws-chunked body: chunks of "<hex size>[;chunk-
// signature=…]\r\n<data>\r\n", a last chunk of size 0, then trailer lines
// until an empty line.
func decodeChunked(raw []byte, trailers http.Header) ([]byte, error) {
	rd := bufio.NewReader(bytes.NewReader(raw))
	var out []byte
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ";")
		n, err := strconv.ParseInt(size, 16, 32)
		if err != nil || n < 0 {
			return nil, errBadChunk
		}
		if n == 0 {
			break
		}
		chunk := make([]byte, n+2)
		if _, err := io.ReadFull(rd, chunk); err != nil || !bytes.HasSuffix(chunk, []byte("\r\n")) {
			return nil, errBadChunk
		}
		out = append(out, chunk[:n]...)
	}
	for {
		line, err := rd.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return out, nil
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, errBadChunk
		}
		trailers.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		if err != nil {
			return out, nil
		}
	}
}

var errBadChunk = &APIError{Status: http.StatusBadRequest, Code: "IncompleteBody", Message: "malformed chunk"}

// preconditions applies a request's If-Match and If-None-Match: * to the
// object's current version v (nil when there is none): S3 answers 412
// PreconditionFailed when one does not hold, and 404 to If-Match on a
// missing object.
func preconditions(h http.Header, v *ObjectVersion) error {
	failed := &APIError{Status: http.StatusPreconditionFailed, Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold"}
	for _, unsupported := range []string{"If-Modified-Since", "If-Unmodified-Since"} {
		if h.Get(unsupported) != "" {
			return &APIError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: unsupported + " is not implemented by the fake"}
		}
	}
	if m := h.Get("If-Match"); m != "" {
		if v == nil {
			return notFound("NoSuchKey", "The specified key does not exist.")
		}
		if m != "*" && strings.Trim(m, `"`) != strings.Trim(v.etag(), `"`) {
			return failed
		}
	}
	switch m := h.Get("If-None-Match"); {
	case m == "":
	case m != "*":
		return &APIError{Status: http.StatusNotImplemented, Code: "NotImplemented", Message: "If-None-Match other than * is not implemented by the fake"}
	case v != nil:
		return failed
	}
	return nil
}
