package awsfake

import (
	"slices"
)

// AddonVersion is one build of an EKS add-on as DescribeAddonVersions
// lists it: the version and the cluster minors it is compatible with.
type AddonVersion struct {
	Version         string
	ClusterVersions []string
}

// eksAddonRoutes are the account-wide EKS add-on operations (path from the
// service model: GET /addons/supported-versions).
var eksAddonRoutes = []route{
	{"GET", "/addons/supported-versions", "DescribeAddonVersions", describeAddonVersions},
}

// SetAddonVersions sets the builds DescribeAddonVersions lists for addon.
func (s *Server) SetAddonVersions(addon string, versions ...AddonVersion) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addonVersions == nil {
		s.addonVersions = map[string][]AddonVersion{}
	}
	s.addonVersions[addon] = versions
}

// describeAddonVersions answers as EKS does: every add-on, or the one
// addonName names (none for an unknown name), each with the builds
// compatible with kubernetesVersion when it is given. An add-on with no
// such build is left out.
func describeAddonVersions(s *Server, r *Request) (any, error) {
	q := r.HTTP.URL.Query()
	name, minor := q.Get("addonName"), q.Get("kubernetesVersion")
	addons := []map[string]any{}
	for _, addon := range sortedKeys(s.addonVersions) {
		if name != "" && addon != name {
			continue
		}
		var versions []map[string]any
		for _, v := range s.addonVersions[addon] {
			if minor != "" && !slices.Contains(v.ClusterVersions, minor) {
				continue
			}
			var compat []map[string]any
			for _, cv := range v.ClusterVersions {
				compat = append(compat, map[string]any{"clusterVersion": cv, "platformVersions": []string{"*"}, "defaultVersion": false})
			}
			versions = append(versions, map[string]any{"addonVersion": v.Version, "architecture": []string{"amd64", "arm64"}, "compatibilities": compat})
		}
		if len(versions) == 0 {
			continue
		}
		addons = append(addons, map[string]any{"addonName": addon, "addonVersions": versions})
	}
	return map[string]any{"addons": addons}, nil
}

// OfferAddonPins makes DescribeAddonVersions list every pin of table
// (Kubernetes minor to add-on to version, as spec.AddonVersions) for its
// minor, as EKS does for a release whose pins are current.
func (s *Server) OfferAddonPins(table map[string]map[string]string) {
	byAddon := map[string]map[string][]string{}
	for minor, row := range table {
		for name, v := range row {
			if byAddon[name] == nil {
				byAddon[name] = map[string][]string{}
			}
			byAddon[name][v] = append(byAddon[name][v], minor)
		}
	}
	for _, name := range sortedKeys(byAddon) {
		var list []AddonVersion
		for _, v := range sortedKeys(byAddon[name]) {
			minors := byAddon[name][v]
			slices.Sort(minors)
			list = append(list, AddonVersion{Version: v, ClusterVersions: minors})
		}
		s.SetAddonVersions(name, list...)
	}
}
