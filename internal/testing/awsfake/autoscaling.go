package awsfake

import "strings"

// AutoScalingGroup is an Auto Scaling group's state.
type AutoScalingGroup struct {
	Name              string
	Min, Max, Desired int
	AvailabilityZones []string
}

// PutAutoScalingGroup stores g (replacing a group of its name).
func (s *Server) PutAutoScalingGroup(g AutoScalingGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asgs[g.Name] = &g
}

// autoscalingOps are the Auto Scaling operations the fake answers.
var autoscalingOps = map[string]handler{
	"DescribeAutoScalingGroups": describeAutoScalingGroups,
}

func describeAutoScalingGroups(s *Server, r *Request) (any, error) {
	want := map[string]bool{}
	for k, v := range r.Form {
		if strings.HasPrefix(k, "AutoScalingGroupNames.member.") {
			want[v[0]] = true
		}
	}
	type group struct {
		AutoScalingGroupName string
		MinSize              int
		MaxSize              int
		DesiredCapacity      int
		DefaultCooldown      int
		HealthCheckType      string
		AvailabilityZones    []string `xml:"AvailabilityZones>member"`
	}
	var out struct {
		AutoScalingGroups []group `xml:"AutoScalingGroups>member"`
	}
	for _, name := range sortedKeys(s.asgs) {
		if len(want) > 0 && !want[name] {
			continue
		}
		g := s.asgs[name]
		out.AutoScalingGroups = append(out.AutoScalingGroups, group{
			AutoScalingGroupName: g.Name, MinSize: g.Min, MaxSize: g.Max, DesiredCapacity: g.Desired,
			DefaultCooldown: 300, HealthCheckType: "EC2", AvailabilityZones: g.AvailabilityZones,
		})
	}
	return out, nil
}
