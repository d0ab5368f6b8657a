package awsfake

import (
	"encoding/json"
	"fmt"
	"time"
)

// updateNodegroupVersion starts an update that DescribeUpdate reports
// InProgress for UpdatePolls polls, then Successful (the version, release
// and launch template applied) or, with FailUpdate, Failed half way.
func updateNodegroupVersion(s *Server, r *Request) (any, error) {
	c, ng, err := s.nodegroup(r)
	if err != nil {
		return nil, err
	}
	var in struct {
		Version, ReleaseVersion string
		LaunchTemplate          *struct{ ID, Version string } `json:"launchTemplate"`
		Force                   bool
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("InvalidParameterException", err.Error())
	}
	for _, u := range c.updates {
		if u.nodegroup == ng.Name && u.status == "InProgress" {
			return nil, badRequest("ResourceInUseException", "Nodegroup "+ng.Name+" already has an update in progress")
		}
	}
	s.updateSeq++
	polls := ng.UpdatePolls
	if polls == 0 {
		polls = 2
	}
	u := &update{
		id: fmt.Sprintf("00000000-0000-4000-8000-%012d", s.updateSeq), typ: "VersionUpdate", nodegroup: ng.Name,
		polls: polls, failCode: ng.FailUpdate, status: "InProgress", created: time.Now(), force: in.Force,
	}
	if u.failCode != "" {
		u.failAt = (polls + 1) / 2
	}
	ng.Status = "UPDATING"
	u.apply = func() {
		if in.Version != "" {
			ng.Version = in.Version
		}
		if in.ReleaseVersion != "" {
			ng.ReleaseVersion = in.ReleaseVersion
		}
		if in.LaunchTemplate != nil {
			ng.LaunchTemplateVersion = in.LaunchTemplate.Version
		}
	}
	ng.FailUpdate = ""
	c.updates[u.id] = u
	return map[string]any{"update": u.wire()}, nil
}

func (u *update) wire() map[string]any {
	return map[string]any{
		"id": u.id, "status": u.status, "type": u.typ, "createdAt": float64(u.created.Unix()),
		"errors": u.errors, "params": []map[string]string{{"type": "Force", "value": fmt.Sprint(u.force)}},
	}
}

func listUpdates(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	ng := r.HTTP.URL.Query().Get("nodegroupName")
	ids := []string{}
	for _, id := range sortedKeys(c.updates) {
		if ng == "" || c.updates[id].nodegroup == ng {
			ids = append(ids, id)
		}
	}
	return map[string]any{"updateIds": ids}, nil
}

func describeUpdate(s *Server, r *Request) (any, error) {
	c, err := s.cluster(r)
	if err != nil {
		return nil, err
	}
	u := c.updates[r.Path["id"]]
	if u == nil {
		return nil, notFound("ResourceNotFoundException", "No update found for ID: "+r.Path["id"]+".")
	}
	ng := c.Nodegroups[u.nodegroup]
	if u.status == "InProgress" {
		u.polls--
		switch {
		case u.failCode != "" && u.polls < u.failAt:
			u.status = "Failed"
			u.errors = []map[string]any{{"errorCode": u.failCode, "errorMessage": "update of " + u.nodegroup + " failed half way", "resourceIds": []string{u.nodegroup}}}
			ng.Status = "ACTIVE"
		case u.polls <= 0:
			u.status = "Successful"
			u.apply()
			ng.Status = "ACTIVE"
		}
	}
	return map[string]any{"update": u.wire()}, nil
}
