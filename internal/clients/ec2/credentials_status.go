// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// statusTimeout bounds a status write, which a reconcile waits for.
const statusTimeout = 5 * time.Second

// A reported status is what was last written to a configuration's status.
type reported struct {
	version   string
	accountID string
	arn       string
	reason    xpv2.ConditionReason
	message   string
}

// A statusReporter writes the identity a configuration's credentials act
// as, or why they cannot be had, to the configuration's status: only when
// it changed, so a thousand reconciles make one write.
type statusReporter struct {
	kube   client.Reader
	status client.StatusClient
	log    logging.Logger

	mu   sync.Mutex
	last map[configKey]reported
}

func (r *statusReporter) report(ctx context.Context, c *Config, id Identity, err error) {
	now := reported{version: configVersion(c), accountID: id.AccountID, arn: id.ARN, reason: apisv1alpha1.ReasonResolved}
	if err != nil {
		now = reported{version: now.version, reason: apisv1alpha1.ReasonUnavailable, message: err.Error()}
		var ce *credentialsError
		if errors.As(err, &ce) {
			now.reason = ce.Reason()
		}
	}
	k := keyOf(c)
	r.mu.Lock()
	if r.last[k] == now {
		r.mu.Unlock()
		return
	}
	r.last[k] = now
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statusTimeout)
	defer cancel()
	if werr := r.write(ctx, c, now); werr != nil {
		r.mu.Lock()
		delete(r.last, k) // write it next time
		r.mu.Unlock()
		r.log.Debug("Cannot write the credentials status", "config", c.String(), "error", werr)
	}
}

func (r *statusReporter) write(ctx context.Context, c *Config, s reported) error {
	var obj client.Object
	var st *apisv1alpha1.ProviderConfigStatus
	switch c.Kind {
	case apisv1alpha1.ProviderConfigKind:
		pc := &apisv1alpha1.ProviderConfig{}
		obj, st = pc, &pc.Status
	default:
		pc := &apisv1alpha1.ClusterProviderConfig{}
		obj, st = pc, &pc.Status
	}
	if err := r.kube.Get(ctx, types.NamespacedName{Namespace: c.Namespace, Name: c.Name}, obj); err != nil {
		return err
	}
	st.AccountID, st.ARN = s.accountID, s.arn
	cond := xpv2.Condition{Type: apisv1alpha1.TypeCredentials, Status: corev1.ConditionTrue, Reason: s.reason, LastTransitionTime: metav1.Now(), Message: s.message, ObservedGeneration: obj.GetGeneration()}
	if s.reason != apisv1alpha1.ReasonResolved {
		cond.Status = corev1.ConditionFalse
	}
	st.SetConditions(cond)
	return r.status.Status().Update(ctx, obj)
}
