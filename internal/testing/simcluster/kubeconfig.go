package simcluster

import (
	"fmt"
	"os"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes a kubeconfig file reaching the API server with
// cfg's credentials (certificate data or files, as envtest gives them).
func writeKubeconfig(cfg *rest.Config, path string) error {
	tls := cfg.TLSClientConfig
	kc := clientcmdapi.NewConfig()
	kc.Clusters["sim"] = &clientcmdapi.Cluster{Server: cfg.Host, CertificateAuthorityData: tls.CAData, CertificateAuthority: tls.CAFile}
	kc.AuthInfos["admin"] = &clientcmdapi.AuthInfo{
		ClientCertificateData: tls.CertData, ClientCertificate: tls.CertFile,
		ClientKeyData: tls.KeyData, ClientKey: tls.KeyFile,
		Token: cfg.BearerToken,
	}
	kc.Contexts["sim"] = &clientcmdapi.Context{Cluster: "sim", AuthInfo: "admin"}
	kc.CurrentContext = "sim"
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		return fmt.Errorf("writing kubeconfig %s: %w", path, err)
	}
	return os.Chmod(path, 0o600)
}
