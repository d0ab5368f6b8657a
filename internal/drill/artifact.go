package drill

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// maxVersionPages bounds the scan for a previous version (1,000 versions a
// page).
const maxVersionPages = 10

// maxCopySize is CopyObject's limit; a larger object needs a multipart
// copy.
const maxCopySize = 5 << 30

// artifactDrill restores one artifact from a previous version into a
// scratch key, compares checksums and deletes the copy.
type artifactDrill struct {
	c *s3.Client
	t Target
	o Options
	r *Report
}

func (a *artifactDrill) run(ctx context.Context) {
	bucket, ok := a.bucket(ctx)
	if !ok {
		return
	}
	ver, err := a.c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	if err != nil {
		a.r.failed("artifact versioning", "reading s3://%s versioning: %v", bucket, err)
		return
	}
	if ver.Status != s3types.BucketVersioningStatusEnabled {
		a.r.failed("artifact versioning", "s3://%s versioning is %q, want Enabled: no previous versions to restore", bucket, orNone(string(ver.Status)))
		return
	}
	v, previous, err := a.pick(ctx, bucket)
	switch {
	case err != nil:
		a.r.failed("artifact version", "listing the versions in s3://%s: %v", bucket, err)
		return
	case v == nil:
		a.r.failed("artifact version", "s3://%s holds no object outside %s", bucket, a.o.ScratchPrefix)
		return
	case aws.ToInt64(v.Size) > maxCopySize:
		a.r.failed("artifact version", "the smallest candidate s3://%s/%s is %d bytes, over CopyObject's 5 GiB", bucket, aws.ToString(v.Key), aws.ToInt64(v.Size))
		return
	}
	key, id := aws.ToString(v.Key), aws.ToString(v.VersionId)
	which := "previous (non-current) version"
	if !previous {
		which = "current version (no object has a previous version yet)"
	}
	srcSum, err := a.sha256(ctx, bucket, key, id)
	if err != nil {
		a.r.failed("artifact restore", "reading s3://%s/%s version %s: %v", bucket, key, id, err)
		return
	}
	scratch := a.o.ScratchPrefix + key
	cp, err := a.c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String(scratch),
		CopySource: aws.String(bucket + "/" + url.PathEscape(key) + "?versionId=" + url.QueryEscape(id)), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256})
	if err != nil {
		a.r.failed("artifact restore", "copying s3://%s/%s version %s to %s: %v", bucket, key, id, scratch, err)
		return
	}
	copyID := aws.ToString(cp.VersionId)
	defer a.deleteScratch(ctx, bucket, scratch, copyID)
	a.r.ok("artifact restore", "s3://%s/%s %s %s (%d bytes, %s) copied to %s", bucket, key, which, id, aws.ToInt64(v.Size),
		aws.ToTime(v.LastModified).UTC().Format(time.RFC3339), scratch)
	copySum, err := a.sha256(ctx, bucket, scratch, copyID)
	if err != nil {
		a.r.failed("artifact checksum", "reading the copy %s: %v", scratch, err)
		return
	}
	s3Sum := ""
	if r := cp.CopyObjectResult; r != nil && r.ChecksumSHA256 != nil {
		b, _ := base64.StdEncoding.DecodeString(aws.ToString(r.ChecksumSHA256))
		s3Sum = hex.EncodeToString(b)
	}
	switch {
	case copySum != srcSum:
		a.r.failed("artifact checksum", "SHA-256 of the copy %s differs from version %s's %s", copySum, id, srcSum)
	case s3Sum != "" && s3Sum != srcSum:
		a.r.failed("artifact checksum", "S3's SHA-256 of the copy %s differs from version %s's %s", s3Sum, id, srcSum)
	default:
		a.r.ok("artifact checksum", "SHA-256 %s of the copy read back (and as S3 computed it) matches version %s", srcSum, id)
	}
}

// bucket is the declared bucket name, or the one bucket with the prefix.
func (a *artifactDrill) bucket(ctx context.Context) (string, bool) {
	if a.t.Bucket != "" {
		return a.t.Bucket, true
	}
	names, err := verify.BucketsWithPrefix(ctx, a.c, a.t.BucketPrefix)
	if err == nil && len(names) != 1 {
		err = fmt.Errorf("%d buckets %v, want 1", len(names), names)
	}
	if err != nil {
		a.r.failed("artifact bucket", "finding the bucket %s*: %v", a.t.BucketPrefix, err)
		return "", false
	}
	return names[0], true
}

// pick chooses the smallest non-current version outside the scratch
// prefix, or, when no object has one, the smallest current version.
func (a *artifactDrill) pick(ctx context.Context, bucket string) (*s3types.ObjectVersion, bool, error) {
	var prev, cur *s3types.ObjectVersion
	smaller := func(best *s3types.ObjectVersion, v s3types.ObjectVersion) *s3types.ObjectVersion {
		if best == nil || aws.ToInt64(v.Size) < aws.ToInt64(best.Size) {
			return &v
		}
		return best
	}
	p := s3.NewListObjectVersionsPaginator(a.c, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for i := 0; p.HasMorePages() && i < maxVersionPages; i++ {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, false, err
		}
		for _, v := range out.Versions {
			if strings.HasPrefix(aws.ToString(v.Key), a.o.ScratchPrefix) {
				continue
			}
			if aws.ToBool(v.IsLatest) {
				cur = smaller(cur, v)
			} else {
				prev = smaller(prev, v)
			}
		}
	}
	if prev != nil {
		return prev, true, nil
	}
	return cur, false, nil
}

// sha256 streams one object version through SHA-256.
func (a *artifactDrill) sha256(ctx context.Context, bucket, key, id string) (string, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if id != "" {
		in.VersionId = aws.String(id)
	}
	out, err := a.c.GetObject(ctx, in)
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, out.Body); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// deleteScratch deletes the copy's own version (a plain delete in a
// versioned bucket would only hide it behind a delete marker).
func (a *artifactDrill) deleteScratch(ctx context.Context, bucket, key, id string) {
	ctx, cancel := cleanupContext(ctx, a.o.Cleanup)
	defer cancel()
	in := &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if id != "" {
		in.VersionId = aws.String(id)
	}
	if _, err := a.c.DeleteObject(ctx, in); err != nil {
		a.r.failed("scratch delete", "s3://%s/%s version %s was NOT deleted: %v", bucket, key, id, err)
		a.r.LeftBehind = append(a.r.LeftBehind, fmt.Sprintf("s3 object s3://%s/%s version %s; delete it with: aws s3api delete-object --bucket %s --key %s --version-id %s",
			bucket, key, id, bucket, key, id))
		return
	}
	a.r.ok("scratch delete", "s3://%s/%s version %s deleted", bucket, key, id)
}
