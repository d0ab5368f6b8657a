package spec

import "fmt"

// ProjectName is the Pulumi project name and the configuration namespace.
const ProjectName = "mlops-platform"

// Defaults returns the fully populated spec of a profile for a stack. It is
// the single source of every default the requirements document states.
func Defaults(profile Profile, stack string) (*Spec, error) {
	switch profile {
	case ProfileProd:
		return prodDefaults(stack), nil
	case ProfileDev:
		return devDefaults(stack), nil
	default:
		return nil, fmt.Errorf("profile: %q is not a profile (want %q or %q)", profile, ProfileDev, ProfileProd)
	}
}

func prodDefaults(stack string) *Spec {
	return &Spec{
		Profile:            ProfileProd,
		Region:             "eu-west-1",
		ClusterName:        ProjectName + "-" + stack,
		KubernetesVersion:  DefaultKubernetesVersion,
		VpcCidr:            "10.100.0.0/16",
		AvailabilityZones:  []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		PrivateSubnetCidrs: []string{"10.100.0.0/19", "10.100.32.0/19", "10.100.64.0/19"},
		PublicSubnetCidrs:  []string{"10.100.96.0/24", "10.100.97.0/24", "10.100.98.0/24"},
		// Internal ALBs in subnets of their own (see ALBSubnetCidrs).
		ALBSubnetCidrs:              []string{"10.100.99.0/24", "10.100.100.0/24", "10.100.101.0/24"},
		NatGatewayPerAz:             true,
		ClusterEndpointPublicAccess: false,
		// No CIDRs: the endpoint is private only.
		ClusterEndpointPublicAccessCidrs: []string{},
		ClusterAdminPrincipals:           []string{},
		// The private endpoint is reached from the SSM-managed bastion until
		// the stack names its VPN or peered networks (then the bastion may go).
		ClusterEndpointPrivateAccessCidrs:          []string{},
		ClusterEndpointPrivateAccessSecurityGroups: []string{},
		Bastion:             Bastion{Enabled: true},
		KserveIngressDomain: "inference.example.com",
		// No certificate by default: prod warns until one is configured.
		// Internal ALBs: the UIs are reached from the VPC.
		Ingress:   Ingress{Scheme: SchemeInternal, DeletionProtection: true},
		Charts:    Charts{Source: ChartsPublic},
		Workloads: prodWorkloads(),
		NodeGroups: NodeGroups{
			// Same-shape alternatives (4 vCPU, 16 GiB): the autoscaler sizes
			// a group from its first type, so a group never mixes shapes.
			General:  NodeGroup{InstanceTypes: []string{"m5.xlarge", "m5a.xlarge", "m6i.xlarge"}, CapacityType: CapacityOnDemand, MinSize: 3, DesiredSize: 3, MaxSize: 10, DiskSizeGb: 50},
			Training: trainingPool(10),
			GPU:      gpuPool(4),
		},
		Database: Database{
			EngineVersion:         DefaultPostgresVersion,
			InstanceClass:         "db.t3.medium",
			MultiAz:               true,
			BackupRetentionDays:   7,
			DeletionProtection:    true,
			AllocatedStorageGb:    50,
			MaxAllocatedStorageGb: 200,
			// Changes wait for the maintenance window.
			ApplyImmediately: false,
		},
		Artifacts:                     Artifacts{Versioning: true, ForceDestroy: false, NoncurrentVersionExpirationDays: 90},
		LogRetentionDays:              30,
		AccessLogs:                    AccessLogs{ExpirationDays: MinAccessLogDays},
		KMS:                           KMS{DeletionWindowDays: 30},
		AccountEbsEncryptionByDefault: true,
		ContainerInsights:             true,
		ProtectStatefulResources:      true,
		Tags:                          defaultTags("prod", "high"),
	}
}

func devDefaults(stack string) *Spec {
	return &Spec{
		Profile:            ProfileDev,
		Region:             "eu-west-1",
		ClusterName:        ProjectName + "-" + stack,
		KubernetesVersion:  DefaultKubernetesVersion,
		VpcCidr:            "10.0.0.0/16",
		AvailabilityZones:  []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		PrivateSubnetCidrs: []string{"10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"},
		PublicSubnetCidrs:  []string{"10.0.96.0/24", "10.0.97.0/24", "10.0.98.0/24"},
		// Internet-facing ALBs live in the public subnets.
		ALBSubnetCidrs:              []string{},
		NatGatewayPerAz:             false,
		ClusterEndpointPublicAccess: true,
		// Deliberately empty: a public endpoint needs the caller's own CIDRs
		// (validation says so), never a silent 0.0.0.0/0.
		ClusterEndpointPublicAccessCidrs:           []string{},
		ClusterAdminPrincipals:                     []string{},
		ClusterEndpointPrivateAccessCidrs:          []string{},
		ClusterEndpointPrivateAccessSecurityGroups: []string{},
		KserveIngressDomain:                        "inference.dev.example.com",
		// Internet-facing ALBs that admit only the endpoint's CIDRs.
		Ingress:   Ingress{Scheme: SchemeInternetFacing, DeletionProtection: false},
		Charts:    Charts{Source: ChartsPublic},
		Workloads: devWorkloads(),
		NodeGroups: NodeGroups{
			General:  NodeGroup{InstanceTypes: []string{"t3.large"}, CapacityType: CapacityOnDemand, MinSize: 2, DesiredSize: 2, MaxSize: 4, DiskSizeGb: 50},
			Training: trainingPool(2),
			GPU:      gpuPool(1),
		},
		Database: Database{
			EngineVersion:         DefaultPostgresVersion,
			InstanceClass:         "db.t3.medium",
			MultiAz:               false,
			BackupRetentionDays:   1,
			DeletionProtection:    false,
			AllocatedStorageGb:    20,
			MaxAllocatedStorageGb: 50,
			ApplyImmediately:      true,
		},
		Artifacts:                     Artifacts{Versioning: false, ForceDestroy: true, NoncurrentVersionExpirationDays: 30},
		LogRetentionDays:              7,
		AccessLogs:                    AccessLogs{ExpirationDays: MinAccessLogDays},
		KMS:                           KMS{DeletionWindowDays: 7},
		AccountEbsEncryptionByDefault: false,
		ContainerInsights:             false,
		ProtectStatefulResources:      false,
		Tags:                          defaultTags("dev", "low"),
	}
}

func defaultTags(env, criticality string) map[string]string {
	return map[string]string{
		"Environment": env,
		"Project":     ProjectName,
		"CostCenter":  "ml-platform",
		"Criticality": criticality,
		"ManagedBy":   "pulumi",
	}
}
