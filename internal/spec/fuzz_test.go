package spec

import "testing"

// FuzzResolve feeds arbitrary stack files and --set flags through parsing,
// overriding and validation: any input may be rejected, none may panic.
func FuzzResolve(f *testing.F) {
	f.Add("config:\n  mlops-platform:vpcCidr: 10.1.0.0/16\n", "nodeGroups.gpu.maxSize=3")
	f.Add("config:\n  mlops-platform:nodeGroups: {gpu: {instanceTypes: [g5.xlarge]}}\n", "tags.a=b")
	f.Add("config:\n  mlops-platform:availabilityZones: []\n", "availabilityZones=[]")
	f.Add("config: {mlops-platform:tags: [1, 2]}\n", "privateSubnetCidrs=[::/0]")
	f.Add("", "kubernetesVersion=1.35")
	f.Fuzz(func(t *testing.T, file, set string) {
		o, err := ParseStackConfig([]byte(file))
		if err != nil {
			return
		}
		_ = o.ParseSet(set)
		for _, stack := range []string{"dev", "prod"} {
			s, _, err := Resolve(Input{Stack: stack, Overrides: o, Now: testNow})
			if err == nil && s == nil {
				t.Fatal("no error and no spec")
			}
		}
	})
}
