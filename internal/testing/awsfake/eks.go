package awsfake

import (
	"time"
)

// Cluster is an EKS cluster's state.
type Cluster struct {
	Name, Version string
	// Status is ACTIVE when empty.
	Status                                      string
	EndpointPrivateAccess, EndpointPublicAccess bool
	PublicAccessCidrs                           []string
	// SecretsKeyARN is the KMS key envelope-encrypting secrets; empty when
	// secrets are not encrypted.
	SecretsKeyARN string
	// LogTypes are the enabled control-plane log types.
	LogTypes   []string
	Nodegroups map[string]*Nodegroup
	Addons     map[string]*Addon
	Insights   []Insight
	updates    map[string]*update
}

// Nodegroup is a managed node group's state.
type Nodegroup struct {
	Name, Version, ReleaseVersion string
	// Status is ACTIVE when empty.
	Status                string
	Min, Max, Desired     int32
	Subnets               []string
	AutoScalingGroup      string
	LaunchTemplateID      string
	LaunchTemplateVersion string
	// FailUpdate, when set, makes the next update fail half way with
	// this error code (for example NodeCreationFailure), leaving the
	// group as it was.
	FailUpdate string
	// UpdatePolls is how many DescribeUpdate calls an update stays
	// InProgress (2 when zero).
	UpdatePolls int
}

// Addon is an EKS add-on's state.
type Addon struct {
	Name, Version string
	// Status is ACTIVE when empty.
	Status string
}

// Insight is an EKS upgrade insight.
type Insight struct {
	ID, Name, Description, KubernetesVersion string
	// Status is PASSING, WARNING, ERROR or UNKNOWN.
	Status, Reason, Recommendation string
}

// update is an EKS update in progress.
type update struct {
	id, typ, nodegroup string
	force              bool
	polls, failAt      int
	failCode           string
	apply              func()
	status             string
	errors             []map[string]any
	created            time.Time
}

// PutCluster stores c (replacing a cluster of the same name).
func (s *Server) PutCluster(c Cluster) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Nodegroups == nil {
		c.Nodegroups = map[string]*Nodegroup{}
	}
	if c.Addons == nil {
		c.Addons = map[string]*Addon{}
	}
	c.updates = map[string]*update{}
	s.clusters[c.Name] = &c
}

// EditCluster changes a stored cluster under the server's lock.
func (s *Server) EditCluster(name string, edit func(*Cluster)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	edit(s.clusters[name])
}

// eksRoutes are the EKS operations the fake answers (paths from the SDK's
// service model).
var eksRoutes = []route{
	{"GET", "/clusters/{name}", "DescribeCluster", describeCluster},
	{"GET", "/clusters/{name}/node-groups", "ListNodegroups", listNodegroups},
	{"GET", "/clusters/{name}/node-groups/{nodegroup}", "DescribeNodegroup", describeNodegroup},
	{"POST", "/clusters/{name}/node-groups/{nodegroup}/update-version", "UpdateNodegroupVersion", updateNodegroupVersion},
	{"GET", "/clusters/{name}/updates", "ListUpdates", listUpdates},
	{"GET", "/clusters/{name}/updates/{id}", "DescribeUpdate", describeUpdate},
	{"GET", "/clusters/{name}/addons", "ListAddons", listAddons},
	{"GET", "/clusters/{name}/addons/{addon}", "DescribeAddon", describeAddon},
	{"POST", "/clusters/{name}/insights", "ListInsights", listInsights},
	{"GET", "/clusters/{name}/insights/{id}", "DescribeInsight", describeInsight},
}

func (s *Server) cluster(r *Request) (*Cluster, error) {
	c := s.clusters[r.Path["name"]]
	if c == nil {
		return nil, notFound("ResourceNotFoundException", "No cluster found for name: "+r.Path["name"]+".")
	}
	return c, nil
}

func orActive(status string) string {
	if status == "" {
		return "ACTIVE"
	}
	return status
}

func describeCluster(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"name": c.Name, "version": c.Version, "status": orActive(c.Status),
		"arn": "arn:aws:eks:" + Region + ":" + Account + ":cluster/" + c.Name,
		"resourcesVpcConfig": map[string]any{
			"endpointPrivateAccess": c.EndpointPrivateAccess, "endpointPublicAccess": c.EndpointPublicAccess,
			"publicAccessCidrs": c.PublicAccessCidrs,
		},
		"logging": map[string]any{"clusterLogging": []map[string]any{{"types": c.LogTypes, "enabled": true}}},
	}
	if c.SecretsKeyARN != "" {
		out["encryptionConfig"] = []map[string]any{{"resources": []string{"secrets"}, "provider": map[string]string{"keyArn": c.SecretsKeyARN}}}
	}
	return map[string]any{"cluster": out}, nil
}

func listNodegroups(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	return map[string]any{"nodegroups": sortedKeys(c.Nodegroups)}, nil
}

func (s *Server) nodegroup(r *Request) (*Cluster, *Nodegroup, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, nil, err
	}
	ng := c.Nodegroups[r.Path["nodegroup"]]
	if ng == nil {
		return nil, nil, notFound("ResourceNotFoundException", "No node group found for name: "+r.Path["nodegroup"]+".")
	}
	return c, ng, nil
}

func describeNodegroup(s *Server, r *Request) (any, error) {
	c, ng, err := s.nodegroup(r)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"nodegroupName": ng.Name, "clusterName": c.Name, "version": ng.Version, "releaseVersion": ng.ReleaseVersion,
		"status":        orActive(ng.Status),
		"scalingConfig": map[string]int32{"minSize": ng.Min, "maxSize": ng.Max, "desiredSize": ng.Desired},
		"subnets":       ng.Subnets,
		"resources":     map[string]any{"autoScalingGroups": []map[string]string{{"name": ng.AutoScalingGroup}}},
	}
	if ng.LaunchTemplateID != "" {
		out["launchTemplate"] = map[string]string{"id": ng.LaunchTemplateID, "version": ng.LaunchTemplateVersion}
	}
	return map[string]any{"nodegroup": out}, nil
}

func listAddons(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	return map[string]any{"addons": sortedKeys(c.Addons)}, nil
}

func describeAddon(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	a := c.Addons[r.Path["addon"]]
	if a == nil {
		return nil, notFound("ResourceNotFoundException", "No addon: "+r.Path["addon"]+" found in cluster: "+c.Name)
	}
	return map[string]any{"addon": map[string]any{
		"addonName": a.Name, "clusterName": c.Name, "addonVersion": a.Version, "status": orActive(a.Status),
	}}, nil
}

func (i Insight) summary() map[string]any {
	return map[string]any{
		"id": i.ID, "name": i.Name, "category": "UPGRADE_READINESS", "kubernetesVersion": i.KubernetesVersion,
		"description": i.Description, "insightStatus": map[string]string{"status": i.Status, "reason": i.Reason},
	}
}

func listInsights(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, i := range c.Insights {
		out = append(out, i.summary())
	}
	return map[string]any{"insights": out}, nil
}

func describeInsight(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	for _, i := range c.Insights {
		if i.ID == r.Path["id"] {
			out := i.summary()
			out["recommendation"] = i.Recommendation
			return map[string]any{"insight": out}, nil
		}
	}
	return nil, notFound("ResourceNotFoundException", "No insight found for id: "+r.Path["id"])
}
