// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// Examples of NAT gateways the scenarios apply, with the IDs of a seeded
// network in place of the examples' placeholders.
const (
	examplePublic   = "examples/provider/ec2/natgateway-public.yaml"
	examplePrivate  = "examples/provider/ec2/natgateway-private.yaml"
	exampleRegional = "examples/provider/ec2/natgateway-regional.yaml"
)

// allocate allocates n Elastic IP addresses in the scenario's account.
func (s *scenario) allocate(n int) []string {
	s.t.Helper()
	ids, err := stack.AllocateAddresses(s.t.Context(), s.ec2, s.ns, n)
	if err != nil {
		s.t.Fatal(err)
	}
	return ids
}

// publicGateway returns the public example in zone a of the scenario's
// network with a new Elastic IP and no secondary address.
func (s *scenario) publicGateway() *v1alpha1.NATGateway {
	s.t.Helper()
	gw := readExample[*v1alpha1.NATGateway](s.t, examplePublic)[0]
	gw.Spec.ProviderConfigReference = stack.ClusterProviderConfigRef(s.ns)
	gw.Spec.ForProvider.SubnetID = aws.String(s.net.Zones[0].PublicSubnetID)
	gw.Spec.ForProvider.AllocationID = aws.String(s.allocate(1)[0])
	gw.Spec.ForProvider.SecondaryAllocationIDs = nil
	return gw
}

// privateGateway returns the private example in the private subnet of zone
// a of the scenario's network.
func (s *scenario) privateGateway() *v1alpha1.NATGateway {
	s.t.Helper()
	gw := readExample[*v1alpha1.NATGateway](s.t, examplePrivate)[0]
	gw.Spec.ForProvider.SubnetID = aws.String(s.net.Zones[0].PrivateSubnetID)
	return gw
}

// addressesSettled wants every address of the gateway to be succeeded and
// the allocation IDs to be want (in any order; none for a private gateway).
func addressesSettled(allocations ...string) stack.Check {
	want := slices.Sorted(slices.Values(allocations))
	return func(o client.Object) error {
		gw := o.(*v1alpha1.NATGateway)
		var got []string
		for _, a := range gw.Status.AtProvider.Addresses {
			if aws.ToString(a.Status) != "succeeded" {
				return errors.Errorf("address %s is %s", aws.ToString(a.PrivateIP), aws.ToString(a.Status))
			}
			if a.AllocationID != nil {
				got = append(got, *a.AllocationID)
			}
		}
		slices.Sort(got)
		if !slices.Equal(want, got) {
			return errors.Errorf("allocations %v, want %v", got, want)
		}
		return nil
	}
}

// TestNATGatewayReady is scenario 1: public, private and regional NAT
// gateways from the examples become Ready, and their status carries the
// gateway's addresses and IDs as EC2 reports them.
func TestNATGatewayReady(t *testing.T) {
	t.Parallel()

	t.Run("Public", func(t *testing.T) {
		t.Parallel()
		s := newScenario(t, "ready-public")
		eips := s.allocate(2)
		gw := readExample[*v1alpha1.NATGateway](t, examplePublic)[0]
		gw.Spec.ProviderConfigReference = stack.ClusterProviderConfigRef(s.ns)
		gw.Spec.ForProvider.SubnetID = aws.String(s.net.Zones[0].PublicSubnetID)
		gw.Spec.ForProvider.AllocationID = aws.String(eips[0])
		gw.Spec.ForProvider.SecondaryAllocationIDs = []string{eips[1]}
		s.create(gw)
		s.waitFor(gw, readyTimeout, stack.All(stack.Ready(), addressesSettled(eips...)))

		id := meta.GetExternalName(gw)
		s.checkStatus(gw, id, s.net.Zones[0].PublicSubnetID, "public")
		s.checkPublicAddresses(gw, eips[0])
		ec2gw := s.gateway(id)
		if diff := cmp.Diff(map[string]string{"team": "platform", "cost-center": "4711"}, userTags(ec2gw.Tags)); diff != "" {
			t.Errorf("user tags in EC2: -want +got:\n%s", diff)
		}
		s.checkOwnership(gw, ec2gw)
		s.event(gw, corev1.EventTypeNormal, "CreatedExternalResource", "")
	})

	t.Run("Private", func(t *testing.T) {
		t.Parallel()
		s := newScenario(t, "ready-private")
		gw := s.privateGateway()
		s.create(gw)
		s.waitFor(gw, readyTimeout, stack.All(stack.Ready(), addressesSettled()))

		id := meta.GetExternalName(gw)
		s.checkStatus(gw, id, s.net.Zones[0].PrivateSubnetID, "private")
		var primary, secondary int
		for _, a := range gw.Status.AtProvider.Addresses {
			if a.AllocationID != nil || a.PublicIP != nil {
				t.Errorf("private gateway has a public address: %+v", a)
			}
			if aws.ToBool(a.IsPrimary) {
				primary++
				if got := aws.ToString(a.PrivateIP); got != "10.0.16.10" {
					t.Errorf("primary private IP %s, want the example's 10.0.16.10", got)
				}
			} else {
				secondary++
			}
		}
		if primary != 1 || secondary != 2 {
			t.Errorf("%d primary and %d secondary addresses, want 1 and the example's 2", primary, secondary)
		}
		s.checkOwnership(gw, s.gateway(id))
	})

	t.Run("Regional", func(t *testing.T) {
		t.Parallel()
		s := newScenario(t, "ready-regional")
		eips := s.allocate(2)
		gw := readExample[*v1alpha1.NATGateway](t, exampleRegional)[0]
		gw.Spec.ProviderConfigReference = stack.ClusterProviderConfigRef(s.ns)
		gw.Spec.ForProvider.VpcID = aws.String(s.net.VpcID)
		// The example names zone a by name and zone 2 by ID.
		gw.Spec.ForProvider.AvailabilityZoneAddresses[0].AllocationIDs = []string{eips[0]}
		gw.Spec.ForProvider.AvailabilityZoneAddresses[1].AllocationIDs = []string{eips[1]}
		s.create(gw)
		s.waitFor(gw, readyTimeout, stack.All(stack.Ready(), addressesSettled(eips...)))

		id := meta.GetExternalName(gw)
		obs := gw.Status.AtProvider
		if aws.ToString(obs.NATGatewayID) != id || aws.ToString(obs.State) != "available" || aws.ToString(obs.AvailabilityMode) != "regional" || aws.ToString(obs.VpcID) != s.net.VpcID {
			t.Errorf("status.atProvider: id %s state %s mode %s vpc %s; want %s available regional %s",
				aws.ToString(obs.NATGatewayID), aws.ToString(obs.State), aws.ToString(obs.AvailabilityMode), aws.ToString(obs.VpcID), id, s.net.VpcID)
		}
		zones := map[string]string{}
		for _, a := range obs.Addresses {
			zones[aws.ToString(a.AllocationID)] = aws.ToString(a.AvailabilityZone) + "/" + aws.ToString(a.AvailabilityZoneID)
		}
		t.Logf("regional gateway %s addresses by zone: %v", id, zones)
		if z := zones[eips[0]]; z == "" || z[:len("us-east-1a")] != "us-east-1a" {
			t.Errorf("address %s is in zone %q, want us-east-1a", eips[0], z)
		}
		ec2gw := s.gateway(id)
		if ec2gw.AvailabilityMode != types.AvailabilityModeRegional {
			t.Errorf("EC2 reports availability mode %q, want regional", ec2gw.AvailabilityMode)
		}
		s.checkOwnership(gw, ec2gw)
	})
}

// checkStatus compares the IDs of status.atProvider with EC2's answer.
func (s *scenario) checkStatus(gw *v1alpha1.NATGateway, id, subnet, connectivity string) {
	s.t.Helper()
	obs := gw.Status.AtProvider
	ec2gw := s.gateway(id)
	want := []string{id, "available", subnet, s.net.VpcID, connectivity}
	got := []string{aws.ToString(obs.NATGatewayID), aws.ToString(obs.State), aws.ToString(obs.SubnetID), aws.ToString(obs.VpcID), aws.ToString(obs.ConnectivityType), aws.ToString(obs.AvailabilityMode)}
	if diff := cmp.Diff(want, got[:len(want)]); diff != "" {
		s.t.Errorf("status.atProvider id, state, subnet, VPC, connectivity: -want +got:\n%s", diff)
	}
	// moto does not report an availability mode.
	inEC2 := []string{aws.ToString(ec2gw.NatGatewayId), string(ec2gw.State), aws.ToString(ec2gw.SubnetId), aws.ToString(ec2gw.VpcId), string(ec2gw.ConnectivityType), string(ec2gw.AvailabilityMode)}
	if diff := cmp.Diff(inEC2, got); diff != "" {
		s.t.Errorf("status.atProvider differs from EC2: -ec2 +status:\n%s", diff)
	}
	if obs.CreateTime == nil {
		s.t.Errorf("status.atProvider.createTime is not set")
	}
}

// checkPublicAddresses compares the addresses in status with EC2's Elastic
// IPs: allocation, public IP and network interface.
func (s *scenario) checkPublicAddresses(gw *v1alpha1.NATGateway, primary string) {
	s.t.Helper()
	out, err := s.ec2.DescribeAddresses(s.t.Context(), &ec2.DescribeAddressesInput{})
	if err != nil {
		s.t.Fatalf("cannot describe addresses: %v", err)
	}
	ips := map[string]types.Address{}
	for _, a := range out.Addresses {
		ips[aws.ToString(a.AllocationId)] = a
	}
	for _, a := range gw.Status.AtProvider.Addresses {
		eip, ok := ips[aws.ToString(a.AllocationID)]
		if !ok {
			s.t.Errorf("status address %s is not an Elastic IP of the account", aws.ToString(a.AllocationID))
			continue
		}
		if aws.ToString(a.PublicIP) != aws.ToString(eip.PublicIp) || aws.ToString(a.NetworkInterfaceID) == "" || aws.ToString(a.NetworkInterfaceID) != aws.ToString(eip.NetworkInterfaceId) {
			s.t.Errorf("status address %s: public IP %s, interface %s; EC2: %s, %s", aws.ToString(a.AllocationID),
				aws.ToString(a.PublicIP), aws.ToString(a.NetworkInterfaceID), aws.ToString(eip.PublicIp), aws.ToString(eip.NetworkInterfaceId))
		}
		if aws.ToBool(a.IsPrimary) != (aws.ToString(a.AllocationID) == primary) {
			s.t.Errorf("status address %s: isPrimary %v, want primary %s", aws.ToString(a.AllocationID), aws.ToBool(a.IsPrimary), primary)
		}
	}
}

// checkOwnership checks the ownership tags of the gateway in EC2.
func (s *scenario) checkOwnership(gw *v1alpha1.NATGateway, ec2gw types.NatGateway) {
	s.t.Helper()
	want := map[string]string{
		"crossplane-kind":      "natgateway.ec2.aws.m.egresskit.io",
		"crossplane-name":      gw.GetName(),
		"crossplane-namespace": s.ns,
		tagUID:                 string(gw.GetUID()),
	}
	got := map[string]string{}
	for k := range want {
		got[k] = tag(ec2gw.Tags, k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		s.t.Errorf("ownership tags of %s: -want +got:\n%s\nall tags: %v", aws.ToString(ec2gw.NatGatewayId), diff, ec2gw.Tags)
	}
	if tag(ec2gw.Tags, "crossplane-providerconfig") == "" {
		s.t.Errorf("gateway %s has no crossplane-providerconfig tag: %v", aws.ToString(ec2gw.NatGatewayId), ec2gw.Tags)
	}
}

// userTags returns the tags that are not the provider's ownership tags.
func userTags(tags []types.Tag) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		k := aws.ToString(t.Key)
		if len(k) >= len("crossplane-") && k[:len("crossplane-")] == "crossplane-" || k == tagUID {
			continue
		}
		out[k] = aws.ToString(t.Value)
	}
	return out
}

// healed waits until gw has a new gateway, other than old, that is
// available, and checks what the healing left behind: the record in
// status.atProvider.healing, the Recreated event, and exactly one live
// gateway for gw in EC2.
func (s *scenario) healed(gw *v1alpha1.NATGateway, old, foundState string, recreations int64) string {
	s.t.Helper()
	s.waitFor(gw, healTimeout, stack.All(externalNameIsNot(old), stack.Ready(), healingRecorded(old, recreations)))
	id := meta.GetExternalName(gw)
	h := gw.Status.AtProvider.Healing
	if h.Last.FoundState != foundState || h.Last.NewID != id {
		s.t.Errorf("status.atProvider.healing.last: found %q new %q, want %q %q", h.Last.FoundState, h.Last.NewID, foundState, id)
	}
	s.event(gw, corev1.EventTypeNormal, "Recreated", fmt.Sprintf("Recreated NAT gateway %s (found %s) as %s", old, foundState, id))
	if live := liveGatewaysOf(s.gateways(), gw); !cmp.Equal(live, []string{id}) {
		s.t.Errorf("live gateways tagged for %s: %v, want exactly [%s]", gw.GetName(), live, id)
	}
	// Scenarios share the provider, so the counter holds at least this one.
	if n := s.recreationsMetric(foundState); n < 1 {
		s.t.Errorf("egresskit_natgateway_recreations_total{reason=%q} is %v, want at least 1", foundState, n)
	}
	return id
}

// recreationsMetric returns the provider's recreations counter for reason,
// as its metrics endpoint serves it.
func (s *scenario) recreationsMetric(reason string) float64 {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), http.MethodGet, stk.Provider.MetricsURL+"/metrics", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("cannot scrape the provider's metrics: %v", err)
	}
	defer rsp.Body.Close()
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		s.t.Fatalf("cannot read the provider's metrics: %v", err)
	}
	series := fmt.Sprintf("egresskit_natgateway_recreations_total{reason=%q} ", reason)
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(line, series); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				s.t.Fatalf("cannot parse %q: %v", line, err)
			}
			return n
		}
	}
	s.t.Fatalf("the provider serves no %s series", series)
	return 0
}

// healingRecorded wants status.atProvider.healing to record recreations
// with old as the last previous ID.
func healingRecorded(old string, recreations int64) stack.Check {
	return func(o client.Object) error {
		h := o.(*v1alpha1.NATGateway).Status.AtProvider.Healing
		if h == nil || h.Last == nil || h.Recreations != recreations || h.Last.PreviousID != old {
			return errors.Errorf("status.atProvider.healing is %+v, want %d recreations, the last of %s", h, recreations, old)
		}
		return nil
	}
}

// TestNATGatewayDeletedOutOfBand is scenario 2: a gateway deleted outside
// Crossplane, through ec2sim's admin API (as from the console) or through
// the AWS CLI, is recreated.
func TestNATGatewayDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	for name, deleteGateway := range map[string]func(s *scenario, id string){
		"AdminAPI": func(s *scenario, id string) {
			if err := stk.EC2Sim.Admin.DeleteNatGateway(s.t.Context(), id, false); err != nil {
				s.t.Fatal(err)
			}
		},
		"AWSCLI": func(s *scenario, id string) {
			s.awsCLI(stk.EC2Sim.URL, "ec2", "delete-nat-gateway", "--nat-gateway-id", id)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newScenario(t, "deleted-"+map[string]string{"AdminAPI": "admin", "AWSCLI": "cli"}[name])
			gw := s.publicGateway()
			s.create(gw)
			s.waitReady(gw)
			old := meta.GetExternalName(gw)

			deleted := time.Now()
			deleteGateway(s, old)
			id := s.healed(gw, old, v1alpha1.FoundStateDeleted, 1)
			t.Logf("gateway %s deleted out of band; %s available after %s (ec2sim deleting takes %s, pending %s; provider --nat-inventory-interval %s)",
				old, id, time.Since(deleted).Round(100*time.Millisecond), durations.Deleting, durations.Pending, InventoryInterval)

			s.event(gw, corev1.EventTypeWarning, "GatewayDeleted", old)
			if st := s.gateway(old).State; st != types.NatGatewayStateDeleted {
				t.Errorf("old gateway %s is %s in EC2, want deleted", old, st)
			}
		})
	}
}

// awsCLI runs the AWS CLI against endpoint with the scenario's credentials.
func (s *scenario) awsCLI(endpoint string, args ...string) string {
	s.t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		s.t.Fatalf("the AWS CLI is needed: %v", err)
	}
	cmd := exec.CommandContext(s.t.Context(), "aws", append([]string{"--endpoint-url", endpoint, "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), s.creds.Env()...)
	cmd.Env = append(cmd.Env, "AWS_DEFAULT_REGION="+stack.DefaultRegion, "AWS_PAGER=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("aws %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestNATGatewayPurged is scenario 3: a gateway that was deleted and purged
// before the provider looked again (EC2 forgets deleted gateways after about
// an hour) is recreated.
func TestNATGatewayPurged(t *testing.T) {
	t.Parallel()
	s := newScenario(t, "purged")
	gw := s.privateGateway()
	s.create(gw)
	s.waitReady(gw)
	old := meta.GetExternalName(gw)

	if err := stk.EC2Sim.Admin.DeleteNatGateway(t.Context(), old, true); err != nil {
		t.Fatal(err)
	}
	if err := stk.EC2Sim.Admin.PurgeNatGateway(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ec2.DescribeNatGateways(t.Context(), &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{old}}); err == nil {
		t.Fatalf("EC2 still knows the purged gateway %s", old)
	}
	s.healed(gw, old, v1alpha1.FoundStateNotFound, 1)
}

// TestNATGatewayFailed is scenario 4: a gateway whose Elastic IP another
// gateway holds fails with Resource.AlreadyAssociated; the Ready condition
// names the failure code; once the other gateway is gone, the provider
// replaces the failed one (after its backoff of 30s) and is Ready again.
func TestNATGatewayFailed(t *testing.T) {
	t.Parallel()
	s := newScenario(t, "failed")
	eip := s.allocate(1)[0]

	// Someone else's gateway holds the address.
	other, err := s.ec2.CreateNatGateway(t.Context(), &ec2.CreateNatGatewayInput{SubnetId: aws.String(s.net.Zones[1].PublicSubnetID), AllocationId: aws.String(eip)})
	if err != nil {
		t.Fatal(err)
	}
	otherID := aws.ToString(other.NatGateway.NatGatewayId)

	gw := s.publicGateway()
	gw.Spec.ForProvider.AllocationID = aws.String(eip)
	s.create(gw)
	s.waitFor(gw, readyTimeout, stack.All(
		stack.HasCondition(xpv2.TypeReady, corev1.ConditionFalse, "Resource.AlreadyAssociated"),
		func(o client.Object) error {
			if c := aws.ToString(o.(*v1alpha1.NATGateway).Status.AtProvider.FailureCode); c != "Resource.AlreadyAssociated" {
				return errors.Errorf("status.atProvider.failureCode is %q", c)
			}
			return nil
		}))
	failed := meta.GetExternalName(gw)
	t.Logf("Ready condition of the failed gateway: %s", gw.GetCondition(xpv2.TypeReady).Message)
	if st := s.gateway(failed).State; st != types.NatGatewayStateFailed {
		t.Fatalf("gateway %s is %s in EC2, want failed", failed, st)
	}

	// Remove the cause.
	removed := time.Now()
	if _, err := s.ec2.DeleteNatGateway(t.Context(), &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(otherID)}); err != nil {
		t.Fatal(err)
	}
	id := s.healed(gw, failed, v1alpha1.FoundStateFailed, 1)
	t.Logf("failed gateway %s replaced by %s, available %s after the other gateway was deleted", failed, id, time.Since(removed).Round(100*time.Millisecond))
	s.event(gw, corev1.EventTypeWarning, "GatewayFailed", "Resource.AlreadyAssociated")
	s.checkPublicAddresses(gw, eip)
}
