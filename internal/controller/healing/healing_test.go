// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package healing

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestRecordThenGet(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	o := &metav1.ObjectMeta{}

	if h, err := Get(o); h != nil || err != nil {
		t.Fatalf("Get(no annotation): got %v, %v; want nil, nil", h, err)
	}
	if err := Record(o, "nat-1", v1alpha1.FoundStateDeleted, "nat-2", t0); err != nil {
		t.Fatalf("Record(first): %v", err)
	}
	if err := Record(o, "nat-2", v1alpha1.FoundStateNotFound, "nat-3", t0.Add(time.Minute)); err != nil {
		t.Fatalf("Record(second): %v", err)
	}

	got, err := Get(o)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := &v1alpha1.Healing{
		Recreations: 2,
		Last: &v1alpha1.HealingEvent{
			PreviousID: "nat-2",
			FoundState: v1alpha1.FoundStateNotFound,
			NewID:      "nat-3",
			Time:       metav1.NewTime(t0.Add(time.Minute)),
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get after two Records: -want, +got:\n%s", diff)
	}
}

func TestGetUnreadable(t *testing.T) {
	o := &metav1.ObjectMeta{Annotations: map[string]string{AnnotationKey: "{"}}
	if _, err := Get(o); err == nil {
		t.Error("Get(unreadable annotation): want error, got nil")
	}
	if err := Record(o, "nat-1", v1alpha1.FoundStateDeleted, "nat-2", time.Now()); err == nil {
		t.Error("Record(unreadable annotation): want error, got nil")
	}
}
