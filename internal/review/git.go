package review

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// BaseDir writes the stack file of stackName as it is at the git ref ref
// into a new temporary directory and returns it, with a function that
// removes it. dir is the directory holding the working tree's stack file,
// inside the repository. The base is the stack file at ref evaluated by
// the current program: no checkout, no build, no network (a change to the
// program itself is not part of the comparison). found is false when ref
// has no such file.
func BaseDir(ctx context.Context, dir, ref, stackName string) (tmp string, found bool, cleanup func(), err error) {
	prefix, err := git(ctx, dir, "rev-parse", "--show-prefix")
	if err != nil {
		return "", false, nil, err
	}
	if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return "", false, nil, fmt.Errorf("--base %s: not a commit in %s", ref, dir)
	}
	name := spec.StackConfigFile(stackName)
	tmp, err = os.MkdirTemp("", "mlops-review-")
	if err != nil {
		return "", false, nil, fmt.Errorf("review: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(tmp) }
	content, err := git(ctx, dir, "show", ref+":"+strings.TrimSpace(prefix)+name)
	if err != nil {
		return tmp, false, cleanup, nil
	}
	if err := os.WriteFile(filepath.Join(tmp, name), []byte(content), 0o644); err != nil {
		cleanup()
		return "", false, nil, fmt.Errorf("review: %w", err)
	}
	return tmp, true, cleanup, nil
}

// git runs git in dir and returns its standard output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out.String(), nil
}
