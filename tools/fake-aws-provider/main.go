// Command pulumi-resource-aws is a fake AWS provider plugin for tests. Its
// Check refuses inputs pulumi-aws's schema or AWS's request rules refuse,
// its Delete what AWS refuses to delete; it reports a resource's inputs back
// as outputs with synthesized IDs and ARNs, answers the invokes the
// platform program makes from the account fixture the offline engine uses
// (internal/awsaccount), fails the resources named in MLOPS_FAKE_AWS_FAIL,
// and reads back on a refresh the changes MLOPS_FAKE_AWS_DRIFT injects.
// With MLOPS_FAKE_AWS_CALL_LOG set it appends a JSON line per create,
// read, update and delete it carries out (calllog.go).
// With MLOPS_FAKE_AWS_ACCOUNT set it keeps the physical names the account
// holds, refusing a duplicate as AWS does (account.go, names.go); without
// it, it keeps no state of its own: what exists is what the Pulumi state
// says exists (and MLOPS_FAKE_AWS_OBJECTS, the buckets holding objects).
//
// Put the binary, named pulumi-resource-aws, in a directory on PATH; the
// engine loads it as the aws plugin.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	err := provider.Main(PackageName, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		p, err := New(os.Getenv(EnvFail))
		if err != nil {
			return nil, err
		}
		if p.drift, err = parseDrift(os.Getenv(EnvDrift)); err != nil {
			return nil, err
		}
		p.log = newCallLog(os.Getenv(EnvCallLog))
		p.account, err = newAccount(os.Getenv(EnvAccount))
		return p, err
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fake aws provider: %v\n", err)
		os.Exit(1)
	}
}
