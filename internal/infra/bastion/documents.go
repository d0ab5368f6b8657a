package bastion

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ssm"
)

// The platform's Session Manager documents (review N11). Each is a `Port`
// session document (Session Manager guide, "Session document schema")
// whose destination the caller cannot choose:
//
//   - the tunnel's forwards to the cluster endpoint's host on 443, both
//     fixed in the document;
//   - the drill's forwards to 5432, fixed, on a host parameter whose
//     allowedPattern admits only the names of the DR drill's restored
//     instances (<database>-drill-<14 digits>) under the source
//     database's own RDS domain.
//
// Only localPortNumber, the caller's own loopback port, is free. The
// deployer policy grants ssm:StartSession on the bastion only with these
// documents (ssm:SessionDocumentAccessCheck), so AWS's shell, SSH and
// any-host port-forwarding documents are refused.
//
// Session preferences (KMS encryption, CloudWatch and S3 logging) are a
// Session document's inputs; neither applies to a Port session, so these
// documents declare none and the platform sets no preferences:
//
//   - Logging: "Logging isn't available for Session Manager sessions that
//     connect through port forwarding or SSH" (Session Manager guide,
//     https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html).
//   - KMS encryption: the agent reads inputs.kmsKeyId into the plugin's
//     configuration for every session type (aws/amazon-ssm-agent
//     agent/framework/docparser/docparser.go, parsePluginStateForStartSession)
//     but turns encryption on only when the key is set and the plugin is
//     not Port (agent/session/plugins/sessionplugin/sessionplugin.go,
//     isEncryptionEnabled: `kmsKeyId != "" && pluginName !=
//     appconfig.PluginNamePort`, under a to-do comment to make encryption
//     configurable for the port plugin; its test TestExecuteHandshakeEncryptionEnabledPortPlugin
//     expects PerformHandshake with encryption false; commit
//     1c217c89b42de51d4f4063363d8ec1f2eef56055, 2024-10-21, after release
//     3.3.1142.0; the condition is there since 3f309dff, 2019). With
//     encryption off, the agent's handshake request carries no
//     KMSEncryption action (agent/session/datachannel/datachannel.go,
//     buildHandshakeRequestPayload), and session-manager-plugin calls
//     kms:GenerateDataKey only on that action (aws/session-manager-plugin
//     src/datachannel/streaming.go, ProcessKMSEncryptionHandshakeAction,
//     commit 61cf1288c7c66b4cbff922b7ed8a6604b3a3c2ea). A kmsKeyId here,
//     or in the account's preferences, would leave a Port session's data
//     unencrypted by KMS while looking configured, so the caller needs no
//     kms:GenerateDataKey and the bastion's role no kms:Decrypt. The
//     forwarded traffic is TLS end to end (EKS API; PostgreSQL with
//     verify-full) inside the TLS of the ssmmessages channel.
//
// The account's shell preferences (SSM-SessionManagerRunShell) are one
// per account and Region, like EBS encryption by default (review N15),
// and are not managed here; the deployer policy denies that document
// instead.

// TunnelDocumentName is the name of the tunnel's document for a cluster.
func TunnelDocumentName(cluster string) string { return cluster + "-eks-api-tunnel" }

// DrillDocumentName is the name of the DR drill's document for a cluster.
func DrillDocumentName(cluster string) string { return cluster + "-drill-db-forward" }

// DatabasePort is the port the drill's document forwards to.
const DatabasePort = 5432

// localPortPattern admits 0 (the plugin picks a port) to 65535.
const localPortPattern = `^([0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$`

// drillIDSuffix is what drill.TempID appends to the source's identifier:
// "-drill-" and a UTC time to the second.
const drillIDSuffix = "-drill-[0-9]{14}"

// maxDBIdentifier is RDS's limit on an instance identifier.
const maxDBIdentifier = 63

// DocumentArgs configure the session documents.
type DocumentArgs struct {
	ClusterName string
	// Endpoint is the cluster's API endpoint URL (https://<host>).
	Endpoint pulumi.StringInput
	// DatabaseIdentifier and DatabaseAddress are the source database's
	// identifier and host name (<identifier>.<account hash>.<region>.rds.<dns suffix>).
	DatabaseIdentifier string
	DatabaseAddress    pulumi.StringInput
}

// Documents are the platform's session documents.
type Documents struct {
	Tunnel, Drill *ssm.Document
}

// NewDocuments declares the tunnel's and the drill's session documents.
func NewDocuments(ctx *pulumi.Context, name string, args *DocumentArgs, opts ...pulumi.ResourceOption) (*Documents, error) {
	tunnel, err := ssm.NewDocument(ctx, name+"-tunnel-document", &ssm.DocumentArgs{
		Name:           pulumi.String(TunnelDocumentName(args.ClusterName)),
		DocumentType:   pulumi.String("Session"),
		DocumentFormat: pulumi.String("JSON"),
		Content: args.Endpoint.ToStringOutput().ApplyT(func(endpoint string) (string, error) {
			u, err := url.Parse(endpoint)
			if err != nil || u.Hostname() == "" {
				return "", fmt.Errorf("cluster endpoint %q is not a URL", endpoint)
			}
			return TunnelDocument(u.Hostname())
		}).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("declaring the tunnel's session document: %w", err)
	}
	drill, err := ssm.NewDocument(ctx, name+"-drill-document", &ssm.DocumentArgs{
		Name:           pulumi.String(DrillDocumentName(args.ClusterName)),
		DocumentType:   pulumi.String("Session"),
		DocumentFormat: pulumi.String("JSON"),
		Content: args.DatabaseAddress.ToStringOutput().ApplyT(func(address string) (string, error) {
			pattern, err := DrillHostPattern(args.DatabaseIdentifier, address)
			if err != nil {
				return "", err
			}
			return DrillDocument(pattern)
		}).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("declaring the drill's session document: %w", err)
	}
	return &Documents{Tunnel: tunnel, Drill: drill}, nil
}

// DrillHostPattern is the allowedPattern of the drill document's host: a
// restored instance's identifier (the source's, cut as drill.TempID cuts
// it, then -drill-<time>) in the source's RDS domain.
func DrillHostPattern(identifier, address string) (string, error) {
	domain, ok := strings.CutPrefix(address, identifier+".")
	if !ok || domain == "" {
		return "", fmt.Errorf("database address %q does not start with its identifier %q", address, identifier)
	}
	prefix := identifier
	if keep := maxDBIdentifier - len("-drill-20060102150405"); len(prefix) > keep {
		prefix = strings.TrimRight(prefix[:keep], "-")
	}
	return "^" + regexp.QuoteMeta(prefix) + drillIDSuffix + `\.` + regexp.QuoteMeta(domain) + "$", nil
}

// TunnelDocument is the content of the tunnel's document: host and port
// fixed.
func TunnelDocument(host string) (string, error) {
	return sessionDocument("Port forward to the EKS API endpoint "+host+":443 only", nil, host, "443")
}

// DrillDocument is the content of the drill's document: port fixed, the
// host a parameter restricted to pattern.
func DrillDocument(pattern string) (string, error) {
	host := map[string]any{"type": "String", "description": "A DR drill's restored database instance", "allowedPattern": pattern}
	return sessionDocument(fmt.Sprintf("Port forward to a DR drill's restored database on %d only", DatabasePort),
		map[string]any{"host": host}, "{{ host }}", fmt.Sprint(DatabasePort))
}

// sessionDocument is a Port session document forwarding to host on the
// fixed port, with the given parameters besides the local port.
func sessionDocument(description string, params map[string]any, host, port string) (string, error) {
	all := map[string]any{"localPortNumber": map[string]any{
		"type": "String", "description": "Port on the caller's machine; 0 lets the plugin choose",
		"allowedPattern": localPortPattern, "default": "0",
	}}
	for k, v := range params {
		all[k] = v
	}
	b, err := json.Marshal(map[string]any{
		"schemaVersion": "1.0",
		"description":   description,
		"sessionType":   "Port",
		"parameters":    all,
		"properties": map[string]any{
			"type": "LocalPortForwarding", "host": host, "portNumber": port, "localPortNumber": "{{ localPortNumber }}",
		},
	})
	if err != nil {
		return "", fmt.Errorf("encoding session document: %w", err)
	}
	return string(b), nil
}
