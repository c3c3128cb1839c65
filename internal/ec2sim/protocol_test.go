// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

type rawResponse struct {
	status    int
	requestID string // x-amzn-RequestId header
	body      string
}

func post(t *testing.T, endpoint string, form url.Values) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return rawResponse{status: resp.StatusCode, requestID: resp.Header.Get("X-Amzn-Requestid"), body: string(b)}
}

type errorBody struct {
	Code      string `xml:"Errors>Error>Code"`
	Message   string `xml:"Errors>Error>Message"`
	RequestID string `xml:"RequestID"`
}

func TestProtocolErrors(t *testing.T) {
	type want struct {
		status int
		code   string
	}
	cases := map[string]struct {
		reason string
		form   url.Values
		want   want
	}{
		"MissingAction": {
			reason: "A request without Action gets MissingAction.",
			form:   url.Values{"Version": {"2016-11-15"}},
			want:   want{status: 400, code: "MissingAction"},
		},
		"UnknownAction": {
			reason: "An action the simulator does not serve gets InvalidAction.",
			form:   url.Values{"Action": {"DescribeInstances"}, "Version": {"2016-11-15"}},
			want:   want{status: 400, code: "InvalidAction"},
		},
		"WrongVersion": {
			reason: "Another API version gets NoSuchVersion.",
			form:   url.Values{"Action": {"DescribeVpcs"}, "Version": {"2014-01-01"}},
			want:   want{status: 400, code: "NoSuchVersion"},
		},
		"UnknownParameter": {
			reason: "A parameter the action does not take gets UnknownParameter.",
			form:   url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}, "Bogus": {"1"}},
			want:   want{status: 400, code: "UnknownParameter"},
		},
		"ListWithGap": {
			reason: "A list member after a gap is not part of the list, so it is unknown.",
			form:   url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}, "VpcId.2": {"vpc-12345678"}},
			want:   want{status: 400, code: "UnknownParameter"},
		},
		"MalformedBoolean": {
			reason: "A boolean that is not true or false gets InvalidParameterValue.",
			form:   url.Values{"Action": {"DescribeVpcs"}, "Version": {"2016-11-15"}, "DryRun": {"maybe"}},
			want:   want{status: 400, code: "InvalidParameterValue"},
		},
		"MalformedInteger": {
			reason: "A MaxResults that is not a number gets InvalidParameterValue.",
			form:   url.Values{"Action": {"DescribeNatGateways"}, "Version": {"2016-11-15"}, "MaxResults": {"ten"}},
			want:   want{status: 400, code: "InvalidParameterValue"},
		},
		"MaxResultsOutOfRange": {
			reason: "MaxResults below 5 gets InvalidParameterValue.",
			form:   url.Values{"Action": {"DescribeNatGateways"}, "Version": {"2016-11-15"}, "MaxResults": {"4"}},
			want:   want{status: 400, code: "InvalidParameterValue"},
		},
		"RouteTableMaxResults": {
			reason: "DescribeRouteTables takes MaxResults up to 100 only.",
			form:   url.Values{"Action": {"DescribeRouteTables"}, "Version": {"2016-11-15"}, "MaxResults": {"101"}},
			want:   want{status: 400, code: "InvalidParameterValue"},
		},
		"UnknownFilter": {
			reason: "A filter name the action does not know gets InvalidParameterValue.",
			form:   url.Values{"Action": {"DescribeNatGateways"}, "Version": {"2016-11-15"}, "Filter.1.Name": {"colour"}, "Filter.1.Value.1": {"red"}},
			want:   want{status: 400, code: "InvalidParameterValue"},
		},
		"DryRun": {
			reason: "A dry run that would succeed gets 412 DryRunOperation.",
			form:   url.Values{"Action": {"DescribeNatGateways"}, "Version": {"2016-11-15"}, "DryRun": {"true"}},
			want:   want{status: 412, code: "DryRunOperation"},
		},
		"DryRunThatWouldFail": {
			reason: "A dry run that would fail gets the failure, not DryRunOperation.",
			form:   url.Values{"Action": {"DeleteNatGateway"}, "Version": {"2016-11-15"}, "DryRun": {"true"}, "NatGatewayId": {"nat-0123456789abcdef0"}},
			want:   want{status: 400, code: "NatGatewayNotFound"},
		},
	}
	s := newSim(t, ec2sim.Options{})
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := post(t, s.http.URL, tc.form)
			var e errorBody
			if err := xml.Unmarshal([]byte(r.body), &e); err != nil {
				t.Fatalf("%s\nerror body %q: %v", tc.reason, r.body, err)
			}
			if diff := cmp.Diff(tc.want, want{status: r.status, code: e.Code}, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
			if e.RequestID == "" || e.RequestID != r.requestID {
				t.Errorf("%s\nRequestID %q in body, %q in header: want equal and not empty", tc.reason, e.RequestID, r.requestID)
			}
			if e.Message == "" {
				t.Errorf("%s\nerror has no message", tc.reason)
			}
		})
	}
}

func TestProtocolSuccessEnvelope(t *testing.T) {
	s := newSim(t, ec2sim.Options{})
	r := post(t, s.http.URL, url.Values{"Action": {"CreateVpc"}, "Version": {"2016-11-15"}, "CidrBlock": {"10.0.0.0/16"}})
	if r.status != http.StatusOK {
		t.Fatalf("CreateVpc: status %d, body %s", r.status, r.body)
	}
	var got struct {
		XMLName   xml.Name
		RequestID string `xml:"requestId"`
		VpcID     string `xml:"vpc>vpcId"`
	}
	if err := xml.Unmarshal([]byte(r.body), &got); err != nil { //nolint:musttag // An untagged XMLName takes any root element, which the test checks.
		t.Fatalf("decode %s: %v", r.body, err)
	}
	want := xml.Name{Space: ec2sim.Namespace, Local: "CreateVpcResponse"}
	if diff := cmp.Diff(want, got.XMLName); diff != "" {
		t.Errorf("root element: -want +got:\n%s", diff)
	}
	if got.RequestID == "" || got.RequestID != r.requestID {
		t.Errorf("requestId %q in body, %q in header: want equal and not empty", got.RequestID, r.requestID)
	}
	if !regexp.MustCompile(`^vpc-[0-9a-f]{17}$`).MatchString(got.VpcID) {
		t.Errorf("vpcId %q: want vpc- and 17 hex digits", got.VpcID)
	}
}

func TestProtocolGetAndTimestamps(t *testing.T) {
	// Unsigned requests belong to the default account and region.
	s := newSim(t, ec2sim.Options{DefaultAccessKey: testAccessKey, DefaultRegion: testRegion})
	_, subnetID := s.network()
	eip := s.eip()
	q := url.Values{"Action": {"CreateNatGateway"}, "Version": {"2016-11-15"}, "SubnetId": {subnetID}, "AllocationId": {eip}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.http.URL+"/?"+q.Encode(), nil)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET CreateNatGateway: status %d, body %s", resp.StatusCode, b)
	}
	var got struct {
		ID         string `xml:"natGateway>natGatewayId"`
		CreateTime string `xml:"natGateway>createTime"`
		State      string `xml:"natGateway>state"`
	}
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if !regexp.MustCompile(`^nat-[0-9a-f]{17}$`).MatchString(got.ID) {
		t.Errorf("natGatewayId %q: want nat- and 17 hex digits", got.ID)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(got.CreateTime) {
		t.Errorf("createTime %q: want 2006-01-02T15:04:05.000Z", got.CreateTime)
	}
	if got.State != "pending" {
		t.Errorf("state %q: want pending", got.State)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/xml;charset=UTF-8" {
		t.Errorf("Content-Type %q: want text/xml;charset=UTF-8", ct)
	}
}
