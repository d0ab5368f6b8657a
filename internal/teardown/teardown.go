// Package teardown removes, in order, what the cluster's own controllers
// created and what would otherwise block a destroy, while those
// controllers still run:
//
//  1. InferenceServices, so that KServe's finalizers run and the Ingresses
//     and Services it created go with them;
//  2. every Ingress and every Service of type LoadBalancer, so that the
//     AWS Load Balancer Controller deletes their ALBs and NLBs and the
//     security groups it made; left behind, they keep the VPC's subnets
//     and security groups in use and the VPC cannot be deleted;
//  3. after the cluster layer is gone (its namespaces took their
//     PersistentVolumeClaims with them), the PersistentVolumes with the
//     Delete reclaim policy, which the EBS CSI driver (an EKS add-on of
//     the AWS layer, still running) deletes with their volumes; left
//     behind, the volumes outlive the cluster and keep costing.
//
// Finalizers are removed by force only where that orphans nothing in AWS:
// KServe's, when its controller is already gone. Load balancers and
// volumes still present at the deadline stop the teardown with their
// names, so that nothing is left behind silently.
package teardown

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/mlops-platform/mlops-platform/internal/kubeclient"
)

// InferenceServices is KServe's resource.
var InferenceServices = schema.GroupVersionResource{Group: "serving.kserve.io", Version: "v1beta1", Resource: "inferenceservices"}

// Options bound the waits.
type Options struct {
	// Wait bounds each step's wait for its controller (default 10 min:
	// an ALB deletion takes minutes).
	Wait time.Duration
	// Poll is the interval between checks (default 5 s).
	Poll time.Duration
	// Out receives one line per step and per forced finalizer.
	Out io.Writer
}

func (o Options) withDefaults() Options {
	if o.Wait == 0 {
		o.Wait = 10 * time.Minute
	}
	if o.Poll == 0 {
		o.Poll = 5 * time.Second
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return o
}

// LeftError names what a controller did not delete in time.
type LeftError struct {
	Step string
	Left []string
	Hint string
}

func (e *LeftError) Error() string {
	return fmt.Sprintf("%s: still present after the wait: %s; %s", e.Step, strings.Join(e.Left, ", "), e.Hint)
}

// Cluster is the cluster's API: the dynamic client, read as the API types
// through internal/kubeclient (no typed clientset, whose scheme would weigh
// on the CLI binary).
type Cluster struct {
	dynamic dynamic.Interface
	opts    Options
}

// New connects to the cluster cfg names.
func New(cfg *rest.Config, opts Options) (*Cluster, error) {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("teardown: dynamic client: %w", err)
	}
	return &Cluster{dynamic: dyn, opts: opts.withDefaults()}, nil
}

// BeforeClusterLayer runs steps 1 and 2.
func (c *Cluster) BeforeClusterLayer(ctx context.Context) error {
	if err := c.inferenceServices(ctx); err != nil {
		return err
	}
	return c.loadBalancers(ctx)
}

// inferenceServices deletes every InferenceService and waits; those whose
// finalizer nobody removes (KServe's controller already gone) lose it.
func (c *Cluster) inferenceServices(ctx context.Context) error {
	res := c.dynamic.Resource(InferenceServices)
	list, err := res.List(ctx, metav1.ListOptions{})
	if apierrors.IsNotFound(err) || meta.IsNoMatchError(err) {
		fmt.Fprintln(c.opts.Out, "teardown: no InferenceService API (KServe not installed)")
		return nil
	}
	if err != nil {
		return fmt.Errorf("teardown: listing InferenceServices: %w", err)
	}
	var names []string
	for _, it := range list.Items {
		names = append(names, it.GetNamespace()+"/"+it.GetName())
		if err := res.Namespace(it.GetNamespace()).Delete(ctx, it.GetName(), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("teardown: deleting InferenceService %s/%s: %w", it.GetNamespace(), it.GetName(), err)
		}
	}
	fmt.Fprintf(c.opts.Out, "teardown: deleting %d InferenceServices %v\n", len(names), names)
	left, err := c.waitGone(ctx, func(ctx context.Context) ([]string, error) {
		l, err := res.List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, it := range l.Items {
			out = append(out, it.GetNamespace()+"/"+it.GetName())
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("teardown: waiting for InferenceServices: %w", err)
	}
	patch := []byte(`{"metadata":{"finalizers":null}}`)
	for _, name := range left {
		ns, n, _ := strings.Cut(name, "/")
		if _, err := res.Namespace(ns).Patch(ctx, n, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("teardown: removing the finalizers of InferenceService %s: %w", name, err)
		}
		fmt.Fprintf(c.opts.Out, "teardown: InferenceService %s: KServe did not finish within %s; its finalizers were removed (they clean up only in-cluster objects)\n", name, c.opts.Wait)
	}
	return nil
}

// loadBalancers deletes every Ingress and LoadBalancer Service and waits
// for the load balancer controller to release them.
func (c *Cluster) loadBalancers(ctx context.Context) error {
	ings, err := kubeclient.List[networkingv1.IngressList](ctx, c.dynamic, kubeclient.Ingresses, "", metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("teardown: listing Ingresses: %w", err)
	}
	for _, in := range ings.Items {
		if err := kubeclient.Delete(ctx, c.dynamic, kubeclient.Ingresses, in.Namespace, in.Name); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("teardown: deleting Ingress %s/%s: %w", in.Namespace, in.Name, err)
		}
	}
	svcs, err := c.lbServices(ctx)
	if err != nil {
		return err
	}
	for _, name := range svcs {
		ns, n, _ := strings.Cut(name, "/")
		if err := kubeclient.Delete(ctx, c.dynamic, kubeclient.Services, ns, n); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("teardown: deleting Service %s: %w", name, err)
		}
	}
	fmt.Fprintf(c.opts.Out, "teardown: deleting %d Ingresses and %d LoadBalancer Services; waiting for their load balancers\n", len(ings.Items), len(svcs))
	left, err := c.waitGone(ctx, func(ctx context.Context) ([]string, error) {
		l, err := kubeclient.List[networkingv1.IngressList](ctx, c.dynamic, kubeclient.Ingresses, "", metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, in := range l.Items {
			out = append(out, "Ingress "+in.Namespace+"/"+in.Name)
		}
		s, err := c.lbServices(ctx)
		for _, name := range s {
			out = append(out, "Service "+name)
		}
		return out, err
	})
	if err != nil {
		return fmt.Errorf("teardown: waiting for load balancers: %w", err)
	}
	if len(left) > 0 {
		return &LeftError{Step: "load balancers", Left: left, Hint: "the AWS Load Balancer Controller did not delete their ALBs/NLBs, " +
			"which keep the VPC in use; see `kubectl -n kube-system logs deploy/aws-load-balancer-controller`, then run the destroy again"}
	}
	return nil
}

// lbServices names the Services of type LoadBalancer.
func (c *Cluster) lbServices(ctx context.Context) ([]string, error) {
	l, err := kubeclient.List[corev1.ServiceList](ctx, c.dynamic, kubeclient.Services, "", metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("teardown: listing Services: %w", err)
	}
	var out []string
	for _, s := range l.Items {
		if s.Spec.Type == corev1.ServiceTypeLoadBalancer {
			out = append(out, s.Namespace+"/"+s.Name)
		}
	}
	return out, nil
}

// AfterClusterLayer runs step 3: it waits until no PersistentVolume with
// the Delete reclaim policy is left, naming the EBS volumes of those that
// are.
func (c *Cluster) AfterClusterLayer(ctx context.Context) error {
	volumes := func(ctx context.Context) ([]string, error) {
		l, err := kubeclient.List[corev1.PersistentVolumeList](ctx, c.dynamic, kubeclient.PersistentVolumes, "", metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("listing PersistentVolumes: %w", err)
		}
		var out []string
		for _, pv := range l.Items {
			if pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete {
				continue
			}
			name := pv.Name
			if pv.Spec.CSI != nil {
				name += " (volume " + pv.Spec.CSI.VolumeHandle + ")"
			}
			out = append(out, name)
		}
		return out, nil
	}
	now, err := volumes(ctx)
	if err != nil {
		return fmt.Errorf("teardown: %w", err)
	}
	fmt.Fprintf(c.opts.Out, "teardown: waiting for the EBS CSI driver to delete %d volumes\n", len(now))
	left, err := c.waitGone(ctx, volumes)
	if err != nil {
		return fmt.Errorf("teardown: waiting for volumes: %w", err)
	}
	if len(left) > 0 {
		return &LeftError{Step: "volumes", Left: left, Hint: "the EBS CSI driver did not delete them; delete each with " +
			"`aws ec2 delete-volume --volume-id ID` or run the destroy again, before the AWS layer removes the driver"}
	}
	return nil
}

// waitGone polls list until it is empty, the wait runs out (it returns
// what is left) or ctx ends.
func (c *Cluster) waitGone(ctx context.Context, list func(context.Context) ([]string, error)) ([]string, error) {
	deadline := time.Now().Add(c.opts.Wait)
	for {
		left, err := list(ctx)
		if err != nil {
			return nil, err
		}
		if len(left) == 0 {
			return nil, nil
		}
		if time.Now().After(deadline) {
			sort.Strings(left)
			return left, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(c.opts.Poll):
		}
	}
}
