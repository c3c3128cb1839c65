// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// describe returns what a person needs to see why a scenario failed: the
// claim and XR, the managed resources of the namespace, the events about
// them, EC2 as ec2sim holds it, and the provider's log lines that name the
// namespace. The logs of every process follow from the cleanups of setup.
func (r *run) describe(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var b strings.Builder
	dump := func(o client.Object) {
		o = o.DeepCopyObject().(client.Object)
		o.SetManagedFields(nil)
		fmt.Fprintf(&b, "--- %s %s/%s:\n%s", o.GetObjectKind().GroupVersionKind().Kind, o.GetNamespace(), o.GetName(), toYAML(o))
	}
	fmt.Fprintf(&b, "=== scenario %s (%s) in namespace %s\n", r.obj.GetName(), r.sc.file, r.ns)
	if err := r.get(ctx, r.obj); err == nil {
		dump(r.obj)
	}
	if r.xr != nil && r.xr != r.obj {
		if err := r.get(ctx, r.xr); err == nil {
			dump(r.xr)
		}
	}
	for _, l := range []client.ObjectList{&v1alpha1.ElasticIPList{}, &v1alpha1.NATGatewayList{}, &v1alpha1.RouteList{}} {
		if err := r.env.client.List(ctx, l, client.InNamespace(r.ns)); err != nil {
			fmt.Fprintf(&b, "(cannot list managed resources: %v)\n", err)
			continue
		}
		fmt.Fprintf(&b, "--- %T:\n", l)
		switch l := l.(type) {
		case *v1alpha1.ElasticIPList:
			for _, o := range l.Items {
				fmt.Fprintf(&b, "  %s external-name=%s conditions=%v\n    atProvider=%s", o.Name, o.Annotations["crossplane.io/external-name"], o.Status.Conditions, toYAML(o.Status.AtProvider))
			}
		case *v1alpha1.NATGatewayList:
			for _, o := range l.Items {
				fmt.Fprintf(&b, "  %s external-name=%s conditions=%v\n    forProvider=%s    atProvider=%s", o.Name, o.Annotations["crossplane.io/external-name"], o.Status.Conditions, toYAML(o.Spec.ForProvider), toYAML(o.Status.AtProvider))
			}
		case *v1alpha1.RouteList:
			for _, o := range l.Items {
				fmt.Fprintf(&b, "  %s conditions=%v\n    forProvider=%s    atProvider=%s", o.Name, o.Status.Conditions, toYAML(o.Spec.ForProvider), toYAML(o.Status.AtProvider))
			}
		}
	}
	b.WriteString("--- events:\n")
	for _, ns := range []string{r.ns, corev1.NamespaceDefault} {
		l := &corev1.EventList{}
		if err := r.env.client.List(ctx, l, client.InNamespace(ns)); err != nil {
			fmt.Fprintf(&b, "(cannot list events: %v)\n", err)
			continue
		}
		sort.SliceStable(l.Items, func(i, j int) bool { return l.Items[i].LastTimestamp.Before(&l.Items[j].LastTimestamp) })
		for _, e := range l.Items {
			if ns == corev1.NamespaceDefault && (r.xr == nil || e.InvolvedObject.Name != r.xr.GetName()) {
				continue
			}
			fmt.Fprintf(&b, "  %s %s %s/%s %s (x%d): %s\n", e.LastTimestamp.Format(time.TimeOnly), e.Type, e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, e.Count, e.Message)
		}
	}
	if r.net != nil {
		if v, err := r.env.view(ctx, r.net); err == nil {
			b.WriteString(v.String())
		}
	}
	log := r.env.provider.Process().LogPath()
	fmt.Fprintf(&b, "--- provider log (%s), last lines naming %s:\n%s\n", log, r.ns, grepTail(log, r.ns, 40))
	return b.String()
}

// grepTail returns the last n lines of a file that contain part.
func grepTail(path, part string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	var lines []string
	for l := range strings.SplitSeq(string(data), "\n") {
		if strings.Contains(l, part) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
