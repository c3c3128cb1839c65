// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// examples is the directory of the provider's examples.
var examples = filepath.Join("..", "..", "..", "examples", "provider")

// readDocs returns the YAML documents of an example file.
func readDocs(t *testing.T, file string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(examples, file))
	if err != nil {
		t.Fatalf("cannot read example: %v", err)
	}
	return strings.Split(string(raw), "\n---\n")
}

// decodeStrict decodes doc into o, failing on unknown or misspelt fields.
func decodeStrict(t *testing.T, file, doc string, o any) {
	t.Helper()
	if err := yaml.UnmarshalStrict([]byte(doc), o); err != nil {
		t.Fatalf("%s does not decode strictly: %v", file, err)
	}
}

func TestRouteExample(t *testing.T) {
	docs := readDocs(t, "ec2/route.yaml")
	if len(docs) != 1 {
		t.Fatalf("ec2/route.yaml: want one document, got %d", len(docs))
	}
	cr := &v1alpha1.Route{}
	decodeStrict(t, "ec2/route.yaml", docs[0], cr)
	if diff := cmp.Diff(v1alpha1.RouteGroupVersionKind, cr.GroupVersionKind()); diff != "" {
		t.Errorf("ec2/route.yaml kind: -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff(&xpv2.NamespacedReference{Name: "egress-use1-az1"}, cr.Spec.ForProvider.NATGatewayIDRef); diff != "" {
		t.Errorf("ec2/route.yaml must reference the NATGateway of natgateway-public.yaml: -want, +got:\n%s", diff)
	}
	gw := &v1alpha1.NATGateway{}
	decodeStrict(t, "ec2/natgateway-public.yaml", readDocs(t, "ec2/natgateway-public.yaml")[0], gw)
	if gw.GetName() != cr.Spec.ForProvider.NATGatewayIDRef.Name || gw.GetNamespace() != cr.GetNamespace() {
		t.Errorf("ec2/route.yaml references %s/%s, but natgateway-public.yaml is %s/%s", cr.GetNamespace(), cr.Spec.ForProvider.NATGatewayIDRef.Name, gw.GetNamespace(), gw.GetName())
	}
	if diff := cmp.Diff(gw.GetProviderConfigReference(), cr.GetProviderConfigReference()); diff != "" {
		t.Errorf("ec2/route.yaml must use the provider config of its gateway: -want, +got:\n%s", diff)
	}
	if _, err := externalName(cr.Spec.ForProvider); err != nil {
		t.Errorf("ec2/route.yaml has no external name: %v", err)
	}
}

// TestEgressExample checks that egress.yaml holds an ElasticIP, a NATGateway
// and a Route in one namespace, with one ProviderConfig, wired by references:
// the gateway uses the address and the route points at the gateway.
func TestEgressExample(t *testing.T) {
	docs := readDocs(t, "egress.yaml")
	if len(docs) != 3 {
		t.Fatalf("egress.yaml: want three documents, got %d", len(docs))
	}
	eip, gw, rt := &v1alpha1.ElasticIP{}, &v1alpha1.NATGateway{}, &v1alpha1.Route{}
	decodeStrict(t, "egress.yaml", docs[0], eip)
	decodeStrict(t, "egress.yaml", docs[1], gw)
	decodeStrict(t, "egress.yaml", docs[2], rt)

	kinds := []string{eip.GroupVersionKind().String(), gw.GroupVersionKind().String(), rt.GroupVersionKind().String()}
	wantKinds := []string{v1alpha1.ElasticIPGroupVersionKind.String(), v1alpha1.NATGatewayGroupVersionKind.String(), v1alpha1.RouteGroupVersionKind.String()}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("egress.yaml kinds: -want, +got:\n%s", diff)
	}
	pc := &xpv2.ProviderConfigReference{Kind: "ProviderConfig", Name: "default"}
	for _, o := range []interface {
		metav1.Object
		GetProviderConfigReference() *xpv2.ProviderConfigReference
	}{eip, gw, rt} {
		if o.GetNamespace() != "default" {
			t.Errorf("egress.yaml: %s is in namespace %q, want default", o.GetName(), o.GetNamespace())
		}
		if diff := cmp.Diff(pc, o.GetProviderConfigReference()); diff != "" {
			t.Errorf("egress.yaml: %s must use the ProviderConfig default of its namespace: -want, +got:\n%s", o.GetName(), diff)
		}
	}
	if ref := gw.Spec.ForProvider.AllocationIDRef; ref == nil || ref.Name != eip.GetName() || gw.Spec.ForProvider.AllocationID != nil {
		t.Errorf("egress.yaml: the NATGateway must take its address from the ElasticIP %s by reference only, got %+v", eip.GetName(), ref)
	}
	if ref := rt.Spec.ForProvider.NATGatewayIDRef; ref == nil || ref.Name != gw.GetName() || rt.Spec.ForProvider.NATGatewayID != nil {
		t.Errorf("egress.yaml: the Route must point at the NATGateway %s by reference only, got %+v", gw.GetName(), ref)
	}
	if gw.Spec.ForProvider.SubnetID == nil {
		t.Error("egress.yaml: the NATGateway needs a subnet to be created")
	}
	if _, err := externalName(rt.Spec.ForProvider); err != nil {
		t.Errorf("egress.yaml: the Route has no external name: %v", err)
	}
}
