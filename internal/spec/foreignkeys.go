package spec

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// readAWSKeys are the aws: stack settings the program reads (awsSettings).
var readAWSKeys = []string{"aws:profile", "aws:assumeRole", "aws:allowedAccountIds"}

// foreignKeys are the problems with the keys of a stack file's config:
// section that the program does not read: aws:region (the region is
// mlops-platform:region; the program's AWS provider is explicit and reads
// no aws: key by itself), other aws: keys but readAWSKeys, keys without a
// namespace, and keys of any other namespace but pulumi: (Pulumi's own).
// Each says which key of ours was likely meant.
func foreignKeys(cfg map[string]any) Errors {
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ours := specKeys()
	var errs Errors
	for _, k := range keys {
		ns, name, namespaced := strings.Cut(k, ":")
		switch {
		case ns == ProjectName || ns == "pulumi" && namespaced:
			continue
		case k == "aws:region":
			errs = append(errs, FieldError{Path: k, Msg: "not read: the program's AWS provider takes its region from " +
				ConfigNamespace + "region (did you mean \"" + ConfigNamespace + "region\"?)"})
		case ns == "aws" && namespaced:
			if contains(readAWSKeys, k) {
				continue
			}
			errs = append(errs, FieldError{Path: k, Msg: fmt.Sprintf("not read: of the aws: keys the program reads only %s; "+
				"everything else is a key of %s", strings.Join(readAWSKeys, ", "), ProjectName)})
		case !namespaced:
			errs = append(errs, FieldError{Path: k, Msg: "a key without a namespace is not read" + suggestOurs(k, ours)})
		case closestNamespace(ns):
			errs = append(errs, FieldError{Path: k, Msg: "not read: namespace " + ns + " is not " + ProjectName + suggestOurs(name, ours)})
		default:
			errs = append(errs, FieldError{Path: k, Msg: "not read: the program reads keys of " + ProjectName +
				" (and " + strings.Join(readAWSKeys, ", ") + ") only"})
		}
	}
	return errs
}

// suggestOurs is the "did you mean" for name among our top-level keys.
func suggestOurs(name string, ours []string) string {
	if k, ok := closest(name, ours); ok {
		return fmt.Sprintf(" (did you mean %q?)", ConfigNamespace+k)
	}
	return fmt.Sprintf(" (keys of ours are %s<key>)", ConfigNamespace)
}

// closestNamespace reports whether ns is a misspelling of ours.
func closestNamespace(ns string) bool {
	_, ok := closest(ns, []string{ProjectName})
	return ok
}

// specKeys are the top-level keys of the spec (its JSON tags).
func specKeys() []string {
	t := reflect.TypeOf(Spec{})
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if tag := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]; tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
