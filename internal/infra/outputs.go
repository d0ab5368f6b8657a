package infra

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/addons"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
)

// readiness is what the in-cluster objects wait for in the AWS layer
// (platform.Readiness gives the reasons).
func (p *Platform) readiness() platform.Readiness {
	return platform.Readiness{
		Pods: append([]pulumi.Resource{p.NodeGroups.Groups[nodegroups.General]},
			p.Addons.Of(addons.VpcCni, addons.KubeProxy, addons.CoreDNS)...),
		Volumes:   p.Addons.Of(addons.EBSCSIDriver),
		Ingresses: []pulumi.Resource{p.AccessLogs.Policy},
	}
}

func exportOutputs(ctx *pulumi.Context, p *Platform) {
	ctx.Export("clusterName", p.Cluster.Name)
	ctx.Export("clusterEndpoint", p.Cluster.Endpoint)
	ctx.Export("oidcProviderArn", p.Cluster.OidcProviderArn)
	ctx.Export("vpcId", p.Network.VpcID)
	ctx.Export("artifactBucket", p.Artifacts.BucketName)
	ctx.Export("databaseAddress", p.Database.Address)
	ctx.Export("databaseSecretArn", p.Database.MasterUserSecretArn)
	ctx.Export("irsaRoles", pulumi.StringMap{
		"mlflow": p.Roles.MLflow, "kserve": p.Roles.KServe, "awsLoadBalancerController": p.Roles.LoadBalancerController,
		"ebsCsi": p.Roles.EBSCSI, "clusterAutoscaler": p.Roles.ClusterAutoscaler, "cloudwatchAgent": p.Roles.CloudWatchAgent,
		"vpcCni": p.Roles.VpcCni, "alertmanager": p.Roles.Alertmanager,
	})
	ctx.Export("alertTopicArn", p.AlertTopicArn)
	if p.Bastion != nil {
		ctx.Export("bastionInstanceId", p.Bastion.InstanceID)
	}
	if p.SessionDocuments != nil {
		ctx.Export("bastionTunnelDocument", p.SessionDocuments.Tunnel.Name)
		ctx.Export("bastionDrillDocument", p.SessionDocuments.Drill.Name)
	}
}
