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

func TestFailedStreak(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	o := &metav1.ObjectMeta{}
	steps := []struct {
		previous, state, id string
		want                int64
	}{
		{previous: "nat-1", state: v1alpha1.FoundStateFailed, id: "nat-2", want: 1},
		{previous: "nat-2", state: v1alpha1.FoundStateFailed, id: "nat-3", want: 2},
		{previous: "nat-3", state: v1alpha1.FoundStateDeleted, id: "nat-4", want: 0},
		{previous: "nat-4", state: v1alpha1.FoundStateFailed, id: "nat-5", want: 1},
	}
	for i, s := range steps {
		if err := Record(o, s.previous, s.state, s.id, t0); err != nil {
			t.Fatalf("Record(%s found %s): %v", s.previous, s.state, err)
		}
		h, err := Get(o)
		if err != nil {
			t.Fatalf("Get after step %d: %v", i, err)
		}
		if h.FailedStreak != s.want {
			t.Errorf("step %d, %s found %s: want a failed streak of %d, got %d", i, s.previous, s.state, s.want, h.FailedStreak)
		}
	}
}

func TestFailedBefore(t *testing.T) {
	failed := func(streak int64) *v1alpha1.Healing {
		return &v1alpha1.Healing{Recreations: 3, FailedStreak: streak, Last: &v1alpha1.HealingEvent{PreviousID: "nat-1", FoundState: v1alpha1.FoundStateFailed, NewID: "nat-2"}}
	}
	cases := map[string]struct {
		reason string
		h      *v1alpha1.Healing
		id     string
		want   int64
	}{
		"NoRecord":   {reason: "A resource without a record follows no failed resource.", id: "nat-2"},
		"Streak":     {reason: "The resource the last recreation made follows the streak the record holds.", h: failed(3), id: "nat-2", want: 3},
		"AtLeastOne": {reason: "A recreation that replaced a failed resource, recorded without a streak, follows one failed resource.", h: failed(0), id: "nat-2", want: 1},
		"OtherID":    {reason: "A streak that ended before another resource is not this resource's.", h: failed(3), id: "nat-9"},
		"NotFailed": {
			reason: "A resource that replaced one that had not failed follows no failed resource.",
			h:      &v1alpha1.Healing{Recreations: 1, Last: &v1alpha1.HealingEvent{PreviousID: "nat-1", FoundState: v1alpha1.FoundStateDeleted, NewID: "nat-2"}},
			id:     "nat-2",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, FailedBefore(tc.h, tc.id)); diff != "" {
				t.Errorf("\n%s\nFailedBefore(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestUpgradeFailedStreak reads and extends records an earlier version wrote,
// with the failed streak in an annotation of its own.
func TestUpgradeFailedStreak(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	failedRecord := `{"recreations":2,"last":{"previousId":"nat-1","foundState":"failed","newId":"nat-2","time":"2026-11-26T11:00:00Z"}}`
	deletedRecord := `{"recreations":2,"last":{"previousId":"nat-1","foundState":"deleted","newId":"nat-2","time":"2026-11-26T11:00:00Z"}}`
	type want struct {
		streak      int64
		err         string
		afterRecord int64
	}
	cases := map[string]struct {
		reason      string
		annotations map[string]string
		want        want
	}{
		"Streak": {
			reason:      "The streak of the old annotation is the record's, and a failed replacement extends it.",
			annotations: map[string]string{AnnotationKey: failedRecord, annotationKeyFailedStreak: "4"},
			want:        want{streak: 4, afterRecord: 5},
		},
		"NoStreakAnnotation": {
			reason:      "A failed replacement recorded without the old annotation followed one failed resource.",
			annotations: map[string]string{AnnotationKey: failedRecord},
			want:        want{streak: 0, afterRecord: 2},
		},
		"StaleStreak": {
			reason:      "The old annotation is ignored when the last recreation did not replace a failed resource.",
			annotations: map[string]string{AnnotationKey: deletedRecord, annotationKeyFailedStreak: "4"},
			want:        want{streak: 0, afterRecord: 1},
		},
		"Unreadable": {
			reason:      "An old annotation that is not a positive integer is an error, not a guess.",
			annotations: map[string]string{AnnotationKey: failedRecord, annotationKeyFailedStreak: "0"},
			want:        want{err: `cannot read the egresskit.io/failed-streak annotation: want a positive integer, got "0"`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := &metav1.ObjectMeta{Annotations: tc.annotations}
			h, err := Get(o)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want.err, got); diff != "" {
				t.Fatalf("\n%s\nGet(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.want.streak, h.FailedStreak); diff != "" {
				t.Errorf("\n%s\nGet(...).FailedStreak: -want, +got:\n%s", tc.reason, diff)
			}
			if err := Record(o, "nat-2", v1alpha1.FoundStateFailed, "nat-3", t0); err != nil {
				t.Fatalf("\n%s\nRecord(...): %v", tc.reason, err)
			}
			if _, ok := o.GetAnnotations()[annotationKeyFailedStreak]; ok {
				t.Errorf("\n%s\nRecord(...) must remove the %s annotation", tc.reason, annotationKeyFailedStreak)
			}
			h, err = Get(o)
			if err != nil {
				t.Fatalf("\n%s\nGet after Record: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want.afterRecord, h.FailedStreak); diff != "" {
				t.Errorf("\n%s\nFailedStreak after Record: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}
