// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// TestConcurrentClients runs several clients at once against one account
// while the admin API changes things under them; run it with -race.
func TestConcurrentClients(t *testing.T) {
	s := newSim(t, ec2sim.Options{DisableThrottling: true, Durations: ec2sim.Durations{Pending: 5 * time.Millisecond, Deleting: 5 * time.Millisecond, Retention: 20 * time.Millisecond}})
	ctx := context.Background()
	vpcID, subnetID := s.network()
	rt, err := s.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID)})
	if err != nil {
		t.Fatal(err)
	}
	// DescribeNatGateways answers grow to about 20 KB here, beyond the 4 KB
	// net/http has read from the connection when it hands the response over.
	// aws-sdk-go-v2 closes a request's body as soon as the response headers
	// arrive (smithy-go's ClientHandler), while net/http's writeLoop may
	// still be draining that body after the Content-Length bytes it sent;
	// the closed body's WriteTo answers io.EOF, net/http takes it for a
	// write error and closes the connection under the response being read:
	// "use of closed network connection" on a 200. The SDK's standard
	// retryer retries that error (aws/aws-sdk-go-v2#2737), as the provider's
	// client does, so reads go through a client with the SDK's default
	// retries. Every other answer here is read whole before the response is
	// handed over, so a late close cannot reach it, and the counted calls
	// stay single attempts.
	reads := ec2.New(ec2.Options{Region: testRegion, BaseEndpoint: aws.String(s.http.URL), Credentials: s.ec2.Options().Credentials})
	const workers, rounds = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*4)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				token := fmt.Sprintf("w%d-r%d", w, i)
				out, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate, ClientToken: aws.String(token)})
				if err != nil {
					errs <- fmt.Errorf("CreateNatGateway: %w", err)
					continue
				}
				id := *out.NatGateway.NatGatewayId
				again, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate, ClientToken: aws.String(token)})
				switch {
				case err != nil:
					errs <- fmt.Errorf("idempotent retry of %s: %w", token, err)
				case *again.NatGateway.NatGatewayId != id:
					errs <- fmt.Errorf("idempotent retry of %s: got gateway %s, want %s", token, *again.NatGateway.NatGatewayId, id)
				}
				if _, err := reads.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{}); err != nil {
					errs <- fmt.Errorf("DescribeNatGateways: %w", err)
				}
				dest := fmt.Sprintf("100.%d.%d.0/24", w, i)
				if _, err := s.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(id)}); err != nil {
					errs <- fmt.Errorf("CreateRoute: %w", err)
				}
				if _, err := s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); err != nil && code(err) != "NatGatewayNotFound" {
					errs <- fmt.Errorf("DeleteNatGateway: %w", err)
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			_, _ = s.srv.Purge(ctx)
			_, _ = s.srv.State(ctx, "", "")
			_, _ = s.srv.Calls(ctx)
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	calls, _ := s.srv.Calls(ctx)
	if got := calls["CreateNatGateway"].Calls; got != workers*rounds*2 {
		t.Errorf("CreateNatGateway calls: got %d, want %d", got, workers*rounds*2)
	}
	// Every gateway ends up purged, and every private address free again.
	time.Sleep(50 * time.Millisecond)
	st, _ := s.srv.State(ctx, testAccessKey, testRegion)
	if n := len(st.Regions[0].NatGateways); n != 0 {
		t.Errorf("gateways left after retention: %d", n)
	}
	if used := st.Regions[0].Subnets[0].UsedAddresses; used != 0 {
		t.Errorf("private addresses still used: %d", used)
	}
}
