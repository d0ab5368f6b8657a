package diagram

import "strings"

// lines joins the non-empty parts of a label, one per line.
func lines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// shortType is the last part of a type token: "NatGateway" for
// "aws:ec2/natGateway:NatGateway".
func shortType(t string) string {
	return t[strings.LastIndexByte(t, ':')+1:]
}
