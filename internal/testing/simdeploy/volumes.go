package simdeploy

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Annotations the scheduler and the PV controller put on a claim whose
// StorageClass binds on first consumer.
const (
	annSelectedNode = "volume.kubernetes.io/selected-node"
	annProvisioner  = "volume.kubernetes.io/storage-provisioner"
)

// Provisioner stands in for a CSI driver's external provisioner (the EBS
// CSI driver is an EKS add-on and an AWS API, neither of which runs
// here): once the scheduler has picked a node for a pending claim of
// its driver, it creates a volume pinned to that node's zone, bound to
// the claim, as the driver would; the PV controller binds them.
type Provisioner struct {
	// Driver is the CSI driver name, the StorageClass's provisioner.
	Driver string

	mu          sync.Mutex
	provisioned []string
	lastErr     error
}

// Run provisions until ctx ends. An API error is kept (Err) and the
// next round retries.
func (p *Provisioner) Run(ctx context.Context, client kubernetes.Interface) {
	for {
		if err := p.once(ctx, client); err != nil && ctx.Err() == nil {
			p.mu.Lock()
			p.lastErr = err
			p.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Provisioned lists the claims given a volume, namespace/name.
func (p *Provisioner) Provisioned() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.provisioned...)
}

// Err is the last error a round met, if any.
func (p *Provisioner) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastErr
}

func (p *Provisioner) once(ctx context.Context, client kubernetes.Interface) error {
	claims, err := client.CoreV1().PersistentVolumeClaims("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range claims.Items {
		c := &claims.Items[i]
		node := c.Annotations[annSelectedNode]
		if c.Status.Phase != corev1.ClaimPending || c.Spec.VolumeName != "" || node == "" || c.Annotations[annProvisioner] != p.Driver {
			continue
		}
		n, err := client.CoreV1().Nodes().Get(ctx, node, metav1.GetOptions{})
		if err != nil {
			return err
		}
		pv := volumeFor(c, p.Driver, n.Labels[corev1.LabelTopologyZone])
		if _, err := client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil {
			if apierrors.IsAlreadyExists(err) {
				continue
			}
			return fmt.Errorf("creating the volume of %s/%s: %w", c.Namespace, c.Name, err)
		}
		p.mu.Lock()
		p.provisioned = append(p.provisioned, c.Namespace+"/"+c.Name)
		p.mu.Unlock()
	}
	return nil
}

// volumeFor is the volume a CSI provisioner creates for a claim: its
// size, access modes and class, in the zone of the node picked.
func volumeFor(c *corev1.PersistentVolumeClaim, driver, zone string) *corev1.PersistentVolume {
	class := ""
	if c.Spec.StorageClassName != nil {
		class = *c.Spec.StorageClassName
	}
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        "pvc-" + string(c.UID),
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": driver},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: c.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   c.Spec.AccessModes,
			StorageClassName:              class,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			ClaimRef:                      &corev1.ObjectReference{Kind: "PersistentVolumeClaim", Namespace: c.Namespace, Name: c.Name, UID: c.UID},
			PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{
				Driver: driver, VolumeHandle: "vol-sim-" + string(c.UID),
			}},
			NodeAffinity: &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
				MatchExpressions: []corev1.NodeSelectorRequirement{{Key: corev1.LabelTopologyZone, Operator: corev1.NodeSelectorOpIn, Values: []string{zone}}},
			}}}},
		},
	}
}
