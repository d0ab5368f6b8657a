package awsfake_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// code is an error's AWS error code, or "" for none.
func code(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestListObjectsV2 lists a bucket's live keys as S3 does: by prefix,
// rolled up by a delimiter, in pages of max-keys continued by the token,
// without a key whose newest version is a delete marker.
func TestListObjectsV2(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("st")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("st"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"p/a.json", "p/b.json", "p/locks/x/1.json", "p/locks/y/2.json", "p/c.json", "p/gone.json", "q/d.json"} {
		if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("st"), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("st"), Key: aws.String("p/gone.json")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, prefix, delimiter string
		maxKeys                 int32
		want                    []string
		pages                   int
	}{
		{name: "prefix", prefix: "p/locks/", want: []string{"p/locks/x/1.json", "p/locks/y/2.json"}, pages: 1},
		{name: "delimiter", prefix: "p/", delimiter: "/", want: []string{"p/a.json", "p/b.json", "p/c.json", "p/locks/"}, pages: 1},
		{name: "pages", prefix: "p/", maxKeys: 2, want: []string{"p/a.json", "p/b.json", "p/c.json", "p/locks/x/1.json", "p/locks/y/2.json"}, pages: 3},
		{name: "pages of prefixes", delimiter: "/", maxKeys: 1, want: []string{"p/", "q/"}, pages: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &s3.ListObjectsV2Input{Bucket: aws.String("st"), Prefix: aws.String(tc.prefix)}
			if tc.delimiter != "" {
				in.Delimiter = aws.String(tc.delimiter)
			}
			if tc.maxKeys != 0 {
				in.MaxKeys = aws.Int32(tc.maxKeys)
			}
			var got []string
			pages := 0
			for p := s3.NewListObjectsV2Paginator(c.s3, in); p.HasMorePages(); pages++ {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page.Contents {
					got = append(got, aws.ToString(o.Key))
				}
				for _, cp := range page.CommonPrefixes {
					got = append(got, aws.ToString(cp.Prefix))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || pages != tc.pages {
				t.Errorf("listed %v in %d pages, want %v in %d", got, pages, tc.want, tc.pages)
			}
		})
	}
}

// TestDeleteMarkersAndPreconditions: in a versioned bucket a delete
// without a version leaves a delete marker (the key reads as missing, its
// older version stays); conditional writes hold as S3's If-None-Match: *
// and If-Match do.
func TestDeleteMarkersAndPreconditions(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	bucket := aws.String("st")
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: bucket,
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	put := func(key, body string, ifMatch, ifNoneMatch *string) (*s3.PutObjectOutput, error) {
		return c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(key), Body: strings.NewReader(body), IfMatch: ifMatch, IfNoneMatch: ifNoneMatch})
	}
	first, err := put("lock", "one", nil, aws.String("*"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = put("lock", "two", nil, aws.String("*"))
	if code(err) != "PreconditionFailed" {
		t.Errorf("If-None-Match: * over an object: %v, want PreconditionFailed", err)
	}
	_, err = put("lock", "two", aws.String(`"0123"`), nil)
	if code(err) != "PreconditionFailed" {
		t.Errorf("If-Match with another ETag: %v, want PreconditionFailed", err)
	}
	if _, err := put("lock", "two", first.ETag, nil); err != nil {
		t.Errorf("If-Match with the object's ETag: %v", err)
	}
	del, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: aws.String("lock")})
	if err != nil || !aws.ToBool(del.DeleteMarker) {
		t.Fatalf("delete: %+v, %v, want a delete marker", del, err)
	}
	_, err = c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("lock")})
	if code(err) != "NoSuchKey" {
		t.Errorf("reading a deleted key: %v, want NoSuchKey", err)
	}
	if _, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("lock"), VersionId: first.VersionId}); err != nil {
		t.Errorf("reading the older version under the marker: %v", err)
	}
	if _, err := put("lock", "three", nil, aws.String("*")); err != nil {
		t.Errorf("If-None-Match: * over a delete marker: %v", err)
	}
	lv, err := c.s3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: bucket})
	if err != nil || len(lv.Versions) != 3 || len(lv.DeleteMarkers) != 1 || aws.ToString(lv.DeleteMarkers[0].VersionId) != aws.ToString(del.VersionId) {
		t.Errorf("versions %d, delete markers %+v, %v: want 3 and the one made", len(lv.Versions), lv.DeleteMarkers, err)
	}
}

// TestKMSEncryptDecrypt: a ciphertext decrypts to its plaintext under its
// own key only, and with the encryption context it was made with; a
// changed blob is InvalidCiphertextException.
func TestKMSEncryptDecrypt(t *testing.T) {
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	k := kms.NewFromConfig(srv.Config(awsclient.Options{}))
	ctx := context.Background()
	var keys []string
	for range 2 {
		out, err := k.CreateKey(ctx, &kms.CreateKeyInput{})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, aws.ToString(out.KeyMetadata.Arn))
	}
	if _, err := k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/state"), TargetKeyId: aws.String(keys[0])}); err != nil {
		t.Fatal(err)
	}
	enc, err := k.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/state"), Plaintext: []byte("data key"),
		EncryptionContext: map[string]string{"stack": "prod-aws"}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(enc.KeyId) != keys[0] || strings.Contains(string(enc.CiphertextBlob), "data key") {
		t.Fatalf("encrypt answered key %s, blob %q", aws.ToString(enc.KeyId), enc.CiphertextBlob)
	}
	tampered := slices.Clone(enc.CiphertextBlob)
	tampered[len(tampered)-1] ^= 1
	for _, tc := range []struct {
		name    string
		blob    []byte
		key     string
		context map[string]string
		want    string
	}{
		{name: "its key", blob: enc.CiphertextBlob, context: map[string]string{"stack": "prod-aws"}},
		{name: "its key by ARN", blob: enc.CiphertextBlob, key: keys[0], context: map[string]string{"stack": "prod-aws"}},
		{name: "another key", blob: enc.CiphertextBlob, key: keys[1], context: map[string]string{"stack": "prod-aws"}, want: "IncorrectKeyException"},
		{name: "another context", blob: enc.CiphertextBlob, context: map[string]string{"stack": "dev-aws"}, want: "InvalidCiphertextException"},
		{name: "no context", blob: enc.CiphertextBlob, want: "InvalidCiphertextException"},
		{name: "changed blob", blob: tampered, context: map[string]string{"stack": "prod-aws"}, want: "InvalidCiphertextException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &kms.DecryptInput{CiphertextBlob: tc.blob, EncryptionContext: tc.context}
			if tc.key != "" {
				in.KeyId = aws.String(tc.key)
			}
			dec, err := k.Decrypt(ctx, in)
			if got := code(err); got != tc.want {
				t.Fatalf("decrypt: %v, want %q", err, tc.want)
			}
			if err == nil && string(dec.Plaintext) != "data key" {
				t.Errorf("decrypted %q", dec.Plaintext)
			}
		})
	}
}

// TestStoredChecksum: S3 keeps the checksum an upload carried and returns
// it to a read that asks for it (x-amz-checksum-mode ENABLED), which the
// SDK then verifies against the body.
func TestStoredChecksum(t *testing.T) {
	c := newClients(t, 0)
	ctx := context.Background()
	bucket := aws.String("st")
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
		t.Fatal(err)
	}
	put, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("k"), Body: strings.NewReader("state"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmCrc32})
	if err != nil || aws.ToString(put.ChecksumCRC32) == "" {
		t.Fatalf("put: %+v, %v, want its CRC32", put, err)
	}
	for _, mode := range []s3types.ChecksumMode{"", s3types.ChecksumModeEnabled} {
		get, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("k"), ChecksumMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		get.Body.Close()
		if want := map[s3types.ChecksumMode]string{s3types.ChecksumModeEnabled: aws.ToString(put.ChecksumCRC32)}[mode]; aws.ToString(get.ChecksumCRC32) != want {
			t.Errorf("get with checksum mode %q: CRC32 %q, want %q", mode, aws.ToString(get.ChecksumCRC32), want)
		}
	}
}
