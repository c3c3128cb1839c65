// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics(t *testing.T) {
	deleted := response{status: http.StatusOK, body: `<DeleteNatGatewayResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><natGatewayId>nat-1</natGatewayId></DeleteNatGatewayResponse>`}

	type want struct {
		// counts of egresskit_ec2_api_requests_total by operation and code.
		counts map[[2]string]float64
		err    bool
	}
	cases := map[string]struct {
		reason    string
		operation string
		responses []response
		down      bool
		want      want
	}{
		"Success": {
			reason:    "A request answered with success counts as OK.",
			operation: "DescribeNatGateways",
			want:      want{counts: map[[2]string]float64{{"DescribeNatGateways", "OK"}: 1}},
		},
		"ErrorCode": {
			reason:    "A request answered with an EC2 error counts under its code, once: the SDK does not retry it.",
			operation: "DeleteNatGateway",
			responses: []response{{status: http.StatusBadRequest, body: ec2ErrorBody("NatGatewayNotFound")}},
			want:      want{counts: map[[2]string]float64{{"DeleteNatGateway", "NatGatewayNotFound"}: 1}, err: true},
		},
		"Retried": {
			reason:    "Every attempt counts: two server errors, then success.",
			operation: "DeleteNatGateway",
			responses: []response{
				{status: http.StatusInternalServerError, body: ec2ErrorBody("InternalError")},
				{status: http.StatusServiceUnavailable, body: ec2ErrorBody("Unavailable")},
				deleted,
			},
			want: want{counts: map[[2]string]float64{
				{"DeleteNatGateway", "InternalError"}: 1,
				{"DeleteNatGateway", "Unavailable"}:   1,
				{"DeleteNatGateway", "OK"}:            1,
			}},
		},
		"NoResponse": {
			reason:    "A request that gets no answer counts as NoResponse, each attempt.",
			operation: "DescribeNatGateways",
			down:      true,
			want:      want{counts: map[[2]string]float64{{"DescribeNatGateways", "NoResponse"}: maxAttempts}, err: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			ep := newEndpoint()
			if len(tc.responses) > 0 {
				ep.script(tc.operation, tc.responses...)
			}
			srv := httptest.NewServer(ep)
			t.Cleanup(srv.Close)
			if tc.down {
				srv.Close()
			}

			m := NewMetrics()
			reg := prometheus.NewPedanticRegistry()
			if err := reg.Register(m); err != nil {
				t.Fatalf("Register(...): %v", err)
			}
			f := NewClientFactory(newKube(providerConfig(pcEndpoint(srv.URL)), credentialsSecret("1")).client(), WithMetrics(m))
			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			if err != nil {
				t.Fatal(err)
			}
			switch tc.operation {
			case "DescribeNatGateways":
				_, err = api.DescribeNatGateways(context.Background(), &ec2.DescribeNatGatewaysInput{})
			case "DeleteNatGateway":
				_, err = api.DeleteNatGateway(context.Background(), &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String("nat-1")})
			}
			if diff := cmp.Diff(tc.want.err, err != nil); diff != "" {
				t.Errorf("\n%s\ncall error %v: -want, +got:\n%s\n", tc.reason, err, diff)
			}

			got := map[[2]string]float64{}
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatalf("Gather(): %v", err)
			}
			for _, mf := range mfs {
				if mf.GetName() != "egresskit_ec2_api_requests_total" {
					t.Errorf("unexpected metric %s", mf.GetName())
					continue
				}
				for _, mt := range mf.GetMetric() {
					labels := map[string]string{}
					for _, l := range mt.GetLabel() {
						labels[l.GetName()] = l.GetValue()
					}
					if labels["providerconfig"] != "team/aws" || labels["region"] != "eu-west-1" {
						t.Errorf("\n%s\nrequests counted for provider config %q in region %q, want team/aws in eu-west-1", tc.reason, labels["providerconfig"], labels["region"])
					}
					got[[2]string{labels["operation"], labels["code"]}] = mt.GetCounter().GetValue()
				}
			}
			if diff := cmp.Diff(tc.want.counts, got); diff != "" {
				t.Errorf("\n%s\negresskit_ec2_api_requests_total: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestMetricsExposition(t *testing.T) {
	m := NewMetrics()
	m.Requests(ProviderConfigLabel("team-a", "default"), "eu-west-1", "CreateNatGateway", CodeOK).Add(2)
	want := `
# HELP egresskit_ec2_api_requests_total EC2 API requests sent by the provider, each retry counted, by provider config, region, operation and result: OK, an EC2 error code, or NoResponse.
# TYPE egresskit_ec2_api_requests_total counter
egresskit_ec2_api_requests_total{code="OK",operation="CreateNatGateway",providerconfig="team-a/default",region="eu-west-1"} 2
`
	if err := testutil.CollectAndCompare(m, strings.NewReader(want)); err != nil {
		t.Errorf("The counter is exposed by name with provider config, region, operation and code labels: %v", err)
	}
}
