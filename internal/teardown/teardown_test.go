package teardown_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiext "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/mlops-platform/mlops-platform/internal/teardown"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
)

// The finalizers the real controllers put on their objects.
const (
	kserveFinalizer  = "inferenceservice.finalizers"
	ingressFinalizer = "ingress.k8s.aws/resources"
	serviceFinalizer = "service.k8s.aws/resources"
)

func apiServer(t *testing.T) *apiserver.Server { return apiserver.StartTest(t) }

// installInferenceServices serves KServe's resource name and version with
// an open schema: the teardown reads only metadata.
func installInferenceServices(t *testing.T, s *apiserver.Server) {
	t.Helper()
	ctx := context.Background()
	c := apiext.NewForConfigOrDie(s.Config)
	open := true
	crd := &apiextv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: "inferenceservices.serving.kserve.io"},
		Spec: apiextv1.CustomResourceDefinitionSpec{
			Group: "serving.kserve.io", Scope: apiextv1.NamespaceScoped,
			Names: apiextv1.CustomResourceDefinitionNames{Plural: "inferenceservices", Singular: "inferenceservice", Kind: "InferenceService", ListKind: "InferenceServiceList"},
			Versions: []apiextv1.CustomResourceDefinitionVersion{{Name: "v1beta1", Served: true, Storage: true,
				Schema: &apiextv1.CustomResourceValidation{OpenAPIV3Schema: &apiextv1.JSONSchemaProps{Type: "object", XPreserveUnknownFields: &open}}}},
		},
	}
	if _, err := c.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, crd, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	dyn := dynamic.NewForConfigOrDie(s.Config)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := dyn.Resource(teardown.InferenceServices).List(ctx, metav1.ListOptions{}); err == nil {
			return
		} else if time.Now().After(deadline) {
			t.Fatalf("InferenceService API not served: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// lbController stands in for the AWS Load Balancer Controller at the
// cloud boundary: when an Ingress or LoadBalancer Service it owns is being
// deleted, it "deletes the load balancer" and removes its finalizer,
// noting whether an InferenceService still existed at that moment.
type lbController struct {
	mu       sync.Mutex
	released []string
	// isvcLeft counts InferenceServices present at each release.
	isvcLeft []int
}

func (l *lbController) run(ctx context.Context, c kubernetes.Interface, dyn dynamic.Interface) {
	patch := []byte(`{"metadata":{"finalizers":null}}`)
	for ctx.Err() == nil {
		ings, _ := c.NetworkingV1().Ingresses("").List(ctx, metav1.ListOptions{})
		svcs, _ := c.CoreV1().Services("").List(ctx, metav1.ListOptions{})
		isvcs, _ := dyn.Resource(teardown.InferenceServices).List(ctx, metav1.ListOptions{})
		for _, in := range ings.Items {
			if in.DeletionTimestamp != nil {
				if _, err := c.NetworkingV1().Ingresses(in.Namespace).Patch(ctx, in.Name, types.MergePatchType, patch, metav1.PatchOptions{}); err == nil {
					l.note("Ingress "+in.Namespace+"/"+in.Name, len(isvcs.Items))
				}
			}
		}
		for _, s := range svcs.Items {
			if s.DeletionTimestamp != nil {
				if _, err := c.CoreV1().Services(s.Namespace).Patch(ctx, s.Name, types.MergePatchType, patch, metav1.PatchOptions{}); err == nil {
					l.note("Service "+s.Namespace+"/"+s.Name, len(isvcs.Items))
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (l *lbController) note(name string, isvcs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.released = append(l.released, name)
	l.isvcLeft = append(l.isvcLeft, isvcs)
}

func create(t *testing.T, s *apiserver.Server, objs ...any) {
	t.Helper()
	ctx := context.Background()
	for _, o := range objs {
		var err error
		switch o := o.(type) {
		case *corev1.Namespace:
			_, err = s.Client.CoreV1().Namespaces().Create(ctx, o, metav1.CreateOptions{})
		case *corev1.Service:
			_, err = s.Client.CoreV1().Services(o.Namespace).Create(ctx, o, metav1.CreateOptions{})
		case *networkingv1.Ingress:
			_, err = s.Client.NetworkingV1().Ingresses(o.Namespace).Create(ctx, o, metav1.CreateOptions{})
		case *corev1.PersistentVolume:
			_, err = s.Client.CoreV1().PersistentVolumes().Create(ctx, o, metav1.CreateOptions{})
		case *unstructured.Unstructured:
			_, err = dynamic.NewForConfigOrDie(s.Config).Resource(teardown.InferenceServices).Namespace(o.GetNamespace()).Create(ctx, o, metav1.CreateOptions{})
		}
		if err != nil {
			t.Fatalf("creating %T: %v", o, err)
		}
	}
}

func isvc(ns, name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("serving.kserve.io/v1beta1")
	u.SetKind("InferenceService")
	u.SetNamespace(ns)
	u.SetName(name)
	u.SetFinalizers([]string{kserveFinalizer})
	return u
}

func ingress(ns, name string) *networkingv1.Ingress {
	class := "alb"
	return &networkingv1.Ingress{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Finalizers: []string{ingressFinalizer}},
		Spec: networkingv1.IngressSpec{IngressClassName: &class, DefaultBackend: &networkingv1.IngressBackend{
			Service: &networkingv1.IngressServiceBackend{Name: name, Port: networkingv1.ServiceBackendPort{Number: 80}}}},
	}
}

func service(ns, name string, typ corev1.ServiceType) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Finalizers: []string{serviceFinalizer}},
		Spec:       corev1.ServiceSpec{Type: typ, Ports: []corev1.ServicePort{{Port: 443}}, Selector: map[string]string{"app": name}},
	}
}

func namespace(name string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
}

// TestBeforeClusterLayer: InferenceServices go first (KServe absent, so
// their finalizers are removed after the wait and the removal is said),
// then every Ingress and LoadBalancer Service, each released by the load
// balancer controller only after no InferenceService is left; a
// ClusterIP Service is left alone.
func TestBeforeClusterLayer(t *testing.T) {
	s := apiServer(t)
	installInferenceServices(t, s)
	create(t, s, namespace("serving"), namespace("mlflow"), namespace("team-a"),
		isvc("serving", "sklearn-iris"), isvc("serving", "llm"),
		ingress("serving", "sklearn-iris"), ingress("mlflow", "mlflow"),
		service("team-a", "nlb", corev1.ServiceTypeLoadBalancer),
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "mlflow", Name: "mlflow"},
			Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 5000}}, Selector: map[string]string{"app": "mlflow"}}},
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	lbc := &lbController{}
	go lbc.run(ctx, s.Client, dynamic.NewForConfigOrDie(s.Config))

	var out bytes.Buffer
	c, err := teardown.New(s.Config, teardown.Options{Wait: 2 * time.Second, Poll: 200 * time.Millisecond, Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.BeforeClusterLayer(ctx); err != nil {
		t.Fatalf("BeforeClusterLayer: %v\n%s", err, out.String())
	}
	t.Logf("teardown printed:\n%s", out.String())

	left, err := dynamic.NewForConfigOrDie(s.Config).Resource(teardown.InferenceServices).List(ctx, metav1.ListOptions{})
	if err != nil || len(left.Items) != 0 {
		t.Errorf("InferenceServices left: %v, %v", left, err)
	}
	if !strings.Contains(out.String(), "InferenceService serving/llm: KServe did not finish") {
		t.Errorf("the forced finalizer removal is not said:\n%s", out.String())
	}
	lbc.mu.Lock()
	released, isvcLeft := slices.Clone(lbc.released), slices.Clone(lbc.isvcLeft)
	lbc.mu.Unlock()
	slices.Sort(released)
	if want := []string{"Ingress mlflow/mlflow", "Ingress serving/sklearn-iris", "Service team-a/nlb"}; !slices.Equal(released, want) {
		t.Errorf("load balancers released %v, want %v", released, want)
	}
	for i, n := range isvcLeft {
		if n != 0 {
			t.Errorf("%s was released while %d InferenceServices were left", lbc.released[i], n)
		}
	}
	if _, err := s.Client.CoreV1().Services("mlflow").Get(ctx, "mlflow", metav1.GetOptions{}); err != nil {
		t.Errorf("the ClusterIP Service was touched: %v", err)
	}
}

// TestLoadBalancersLeft: without the load balancer controller, the
// teardown stops and names what it leaves, instead of stripping the
// finalizer and orphaning an ALB in the VPC.
func TestLoadBalancersLeft(t *testing.T) {
	s := apiServer(t)
	create(t, s, namespace("mlflow"), ingress("mlflow", "mlflow"))
	c, err := teardown.New(s.Config, teardown.Options{Wait: time.Second, Poll: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = c.BeforeClusterLayer(context.Background())
	var left *teardown.LeftError
	if !errors.As(err, &left) || !slices.Equal(left.Left, []string{"Ingress mlflow/mlflow"}) || !strings.Contains(err.Error(), "aws-load-balancer-controller") {
		t.Fatalf("without the controller: %v", err)
	}
	in, err := s.Client.NetworkingV1().Ingresses("mlflow").Get(context.Background(), "mlflow", metav1.GetOptions{})
	if err != nil || !slices.Contains(in.Finalizers, ingressFinalizer) {
		t.Errorf("the Ingress's finalizer was removed: %v, %v", in.Finalizers, err)
	}
}

func pv(name string, policy corev1.PersistentVolumeReclaimPolicy, volume string) *corev1.PersistentVolume {
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("50Gi")},
			AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			PersistentVolumeReclaimPolicy: policy,
			PersistentVolumeSource:        corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: "ebs.csi.aws.com", VolumeHandle: volume}},
		},
	}
}

// TestAfterClusterLayer waits for the volumes with the Delete policy (the
// EBS CSI driver, standing in at the cloud boundary, deletes one after a
// moment) and ignores retained ones; a volume nobody deletes stops the
// teardown with its EBS volume ID.
func TestAfterClusterLayer(t *testing.T) {
	s := apiServer(t)
	create(t, s, pv("pvc-prometheus", corev1.PersistentVolumeReclaimDelete, "vol-0prometheus"),
		pv("pvc-kept", corev1.PersistentVolumeReclaimRetain, "vol-0kept"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() {
		time.Sleep(500 * time.Millisecond)
		_, _ = s.Client.CoreV1().PersistentVolumes().Patch(ctx, "pvc-prometheus", types.MergePatchType, []byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{})
		_ = s.Client.CoreV1().PersistentVolumes().Delete(ctx, "pvc-prometheus", metav1.DeleteOptions{})
	}()
	c, err := teardown.New(s.Config, teardown.Options{Wait: 20 * time.Second, Poll: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AfterClusterLayer(ctx); err != nil {
		t.Fatalf("with the driver deleting: %v", err)
	}

	create(t, s, pv("pvc-grafana", corev1.PersistentVolumeReclaimDelete, "vol-0grafana"))
	c, _ = teardown.New(s.Config, teardown.Options{Wait: time.Second, Poll: 200 * time.Millisecond})
	err = c.AfterClusterLayer(ctx)
	var left *teardown.LeftError
	if !errors.As(err, &left) || !slices.Equal(left.Left, []string{"pvc-grafana (volume vol-0grafana)"}) || !strings.Contains(err.Error(), "aws ec2 delete-volume") {
		t.Fatalf("a volume nobody deletes: %v", err)
	}
}
