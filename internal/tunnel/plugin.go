package tunnel

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ResponseEnv is the environment variable through which the plugin takes
// the StartSession response (its token included) when it is new enough;
// argv[1] then holds only this name. The name, the version rule below and
// the fallback to argv for older or unparsable versions are those of the
// aws CLI: aws/aws-cli awscli/customizations/sessionmanager.py
// (StartSessionCaller.DEFAULT_SSM_ENV_NAME,
// LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR and VersionRequirement).
const ResponseEnv = "AWS_SSM_START_SESSION_RESPONSE"

// lastVersionWithoutEnv is the last plugin version that takes the response
// only in argv; a later version takes it through ResponseEnv.
var lastVersionWithoutEnv = []int{1, 2, 497, 0}

// pluginVersionRe is the form the aws CLI accepts as a plugin version
// (whitespace removed first); anything else counts as too old.
var pluginVersionRe = regexp.MustCompile(`^\d+(\.\d+){0,3}$`)

// passesResponseInEnv reports whether a plugin that printed version to
// `--version` takes the StartSession response through ResponseEnv: its
// version, padded with zeros, is greater than 1.2.497.0.
func passesResponseInEnv(version string) bool {
	v := strings.Join(strings.Fields(version), "")
	if !pluginVersionRe.MatchString(v) {
		return false
	}
	parts := strings.Split(v, ".")
	for i := 0; i < len(lastVersionWithoutEnv); i++ {
		n := 0
		if i < len(parts) {
			var err error
			if n, err = strconv.Atoi(parts[i]); err != nil {
				return false
			}
		}
		if n != lastVersionWithoutEnv[i] {
			return n > lastVersionWithoutEnv[i]
		}
	}
	return false
}

// pluginVersion runs `plugin --version`, as the aws CLI does before every
// session.
func pluginVersion(ctx context.Context, plugin string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, plugin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("tunnel: %s --version: %w", plugin, err)
	}
	return string(out), nil
}

// hideResponse moves the StartSession response out of the plugin's
// arguments into ResponseEnv when the plugin supports it, so that other
// users of the machine cannot read the session token from the process
// list. It returns the environment entry to add, or "" when the plugin
// is too old and the response stays in argv[0] of args.
func hideResponse(ctx context.Context, plugin string, args []string) (string, error) {
	version, err := pluginVersion(ctx, plugin)
	if err != nil {
		return "", err
	}
	if !passesResponseInEnv(version) {
		return "", nil
	}
	entry := ResponseEnv + "=" + args[0]
	args[0] = ResponseEnv
	return entry, nil
}
