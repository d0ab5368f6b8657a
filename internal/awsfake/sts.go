package awsfake

// stsOps are the STS operations the fake answers.
var stsOps = map[string]handler{
	"GetCallerIdentity": func(*Server, *Request) (any, error) {
		return struct{ Account, Arn, UserId string }{Account, "arn:aws:iam::" + Account + ":user/tester", "AIDAFAKE"}, nil
	},
}
