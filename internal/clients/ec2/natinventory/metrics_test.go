// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natinventory

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/prometheus/client_golang/prometheus/testutil"
	testingclock "k8s.io/utils/clock/testing"
)

func TestMetrics(t *testing.T) {
	tags := owned("default", "egress-a")
	a := gw("nat-a", types.NatGatewayStateAvailable, tags)
	aDeleted := gw("nat-a", types.NatGatewayStateDeleted, tags)
	b := gw("nat-b", types.NatGatewayStateAvailable, owned("default", "egress-b"))

	clk := testingclock.NewFakeClock(t0)
	i, err := New(10*time.Second, WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	l := &lister{}
	s := &scope{api: l.api(), touched: map[string]time.Time{}, since: t0}
	// A key of another account whose first listing has not ended yet.
	waiting := Key{Account: "210987654321", Region: "eu-west-1"}
	i.scopes[key] = s
	i.scopes[waiting] = &scope{touched: map[string]time.Time{}, since: t0.Add(20 * time.Second)}

	// A first listing, one that finds a gateway deleted, and one that EC2
	// refuses, ten seconds apart.
	l.set(nil, []types.NatGateway{a, b})
	collect(i, func() { i.refresh(context.Background(), key, s) })
	clk.Step(10 * time.Second)
	l.set(nil, []types.NatGateway{aDeleted, b})
	collect(i, func() { i.refresh(context.Background(), key, s) })
	clk.Step(10 * time.Second)
	l.set(&smithy.GenericAPIError{Code: "AuthFailure", Message: "AWS was not able to validate the provided access credentials"})
	collect(i, func() { i.refresh(context.Background(), key, s) })
	clk.Step(5 * time.Second)

	want := `
# HELP egresskit_natinventory_gateways NAT gateways in the latest successful listing of an account and region, by state.
# TYPE egresskit_natinventory_gateways gauge
egresskit_natinventory_gateways{account="123456789012",region="us-east-1",state="available"} 1
egresskit_natinventory_gateways{account="123456789012",region="us-east-1",state="deleted"} 1
egresskit_natinventory_gateways{account="123456789012",region="us-east-1",state="deleting"} 0
egresskit_natinventory_gateways{account="123456789012",region="us-east-1",state="failed"} 0
egresskit_natinventory_gateways{account="123456789012",region="us-east-1",state="pending"} 0
# HELP egresskit_natinventory_gone_gateways Gateways a listing found newly deleting, deleted, failed or vanished, per listing after the first of an account and region.
# TYPE egresskit_natinventory_gone_gateways histogram
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="0"} 0
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="1"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="2"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="5"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="10"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="50"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="100"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="1000"} 1
egresskit_natinventory_gone_gateways_bucket{account="123456789012",region="us-east-1",le="+Inf"} 1
egresskit_natinventory_gone_gateways_sum{account="123456789012",region="us-east-1"} 1
egresskit_natinventory_gone_gateways_count{account="123456789012",region="us-east-1"} 1
# HELP egresskit_natinventory_listing_age_seconds Seconds since the latest successful listing of the NAT gateways of an account and region began; since the listing of the key started while none succeeded.
# TYPE egresskit_natinventory_listing_age_seconds gauge
egresskit_natinventory_listing_age_seconds{account="123456789012",region="us-east-1"} 15
egresskit_natinventory_listing_age_seconds{account="210987654321",region="eu-west-1"} 5
# HELP egresskit_natinventory_listing_errors_total Failed listings of the NAT gateways of an account and region, by EC2 error code or NoResponse.
# TYPE egresskit_natinventory_listing_errors_total counter
egresskit_natinventory_listing_errors_total{account="123456789012",code="AuthFailure",region="us-east-1"} 1
# HELP egresskit_natinventory_listings_total Listings of the NAT gateways of an account and region, failed or not.
# TYPE egresskit_natinventory_listings_total counter
egresskit_natinventory_listings_total{account="123456789012",region="us-east-1"} 3
`
	if err := testutil.CollectAndCompare(i, strings.NewReader(want),
		"egresskit_natinventory_gateways", "egresskit_natinventory_gone_gateways", "egresskit_natinventory_listing_age_seconds",
		"egresskit_natinventory_listing_errors_total", "egresskit_natinventory_listings_total"); err != nil {
		t.Errorf("After three listings, the last refused, and five seconds: %v", err)
	}
	if n := testutil.CollectAndCount(i, "egresskit_natinventory_listing_duration_seconds"); n != 1 {
		t.Errorf("egresskit_natinventory_listing_duration_seconds: want 1 series, the listed key's, got %d", n)
	}
	problems, err := testutil.CollectAndLint(i)
	if err != nil || len(problems) > 0 {
		t.Errorf("The inventory's metrics follow Prometheus's naming conventions: %v %v", problems, err)
	}
}
