// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// chainObservations is what testdata/chain.py prints.
type chainObservations struct {
	BaseIsUser         bool   `json:"BaseIsUser"`
	AssumeB            string `json:"AssumeB"`
	AssumeCFromB       string `json:"AssumeCFromB"`
	AccountOfC         string `json:"AccountOfC"`
	ArnOfC             string `json:"ArnOfC"`
	WrongExternalID    string `json:"WrongExternalID"`
	NoExternalID       string `json:"NoExternalID"`
	UntrustedPrincipal string `json:"UntrustedPrincipal"`
	ChainedOverAnHour  string `json:"ChainedOverAnHour"`
	VpcOwner           string `json:"VpcOwner"`
	VpcInvisibleToB    bool   `json:"VpcInvisibleToB"`
}

// chainDocumented is what AWS documents for the chain: an assumed role acts
// in its account, trust and external ID are checked, and a chained session
// lasts at most an hour.
var chainDocumented = chainObservations{
	BaseIsUser:         true,
	AccountOfC:         "222222222222",
	ArnOfC:             "arn:aws:sts::222222222222:assumed-role/egress-c/conformance",
	WrongExternalID:    "AccessDenied",
	NoExternalID:       "AccessDenied",
	UntrustedPrincipal: "AccessDenied",
	ChainedOverAnHour:  "ValidationError",
	VpcOwner:           "222222222222",
	VpcInvisibleToB:    true,
}

// chainMotoDiffers is what moto 5.2.1 answers where it differs: it maps a
// session to the role's account but checks neither trust, nor external ID,
// nor the chained-session cap. docs/ec2sim.md lists the same.
func chainMotoDiffers() chainObservations {
	o := chainDocumented
	o.WrongExternalID = ""    // the external ID is not checked
	o.NoExternalID = ""       // nor required
	o.UntrustedPrincipal = "" // the trust policy is not checked (the role need not exist)
	o.ChainedOverAnHour = ""  // no one-hour cap on chained sessions
	return o
}

// chainRoles declares to ec2sim the roles chain.py assumes.
func chainRoles() []ec2sim.Role {
	b := "arn:aws:iam::111111111111:role/egress-b"
	return []ec2sim.Role{
		{ARN: b, Trust: ec2sim.Trust{Principals: []string{"*"}, ExternalID: "ext-b-4711"}},
		{ARN: "arn:aws:iam::222222222222:role/egress-c", Trust: ec2sim.Trust{Principals: []string{b}}},
		{ARN: "arn:aws:iam::222222222222:role/long", MaxSessionDuration: ec2sim.Duration(12 * time.Hour), Trust: ec2sim.Trust{Principals: []string{b}}},
	}
}

func runChain(t *testing.T, endpoint string) chainObservations {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "python3", "testdata/chain.py", endpoint)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chain scenario against %s: %v\n%s", endpoint, err, stderr.String())
	}
	var o chainObservations
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		t.Fatalf("chain scenario output %q: %v", stdout.String(), err)
	}
	return o
}

func TestChainAgainstEC2Sim(t *testing.T) {
	requireBoto3(t)
	sim, err := ec2sim.New(ec2sim.Options{Roles: chainRoles()})
	if err != nil {
		t.Fatal(err)
	}
	hs := sim.NewHTTPTestServer()
	defer hs.Close()
	if diff := cmp.Diff(chainDocumented, runChain(t, hs.URL)); diff != "" {
		t.Errorf("ec2sim's STS differs from what AWS documents: -aws +ec2sim:\n%s", diff)
	}
}

func TestChainAgainstMoto(t *testing.T) {
	requireBoto3(t)
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip("moto_server is not installed")
	}
	got := runChain(t, startMoto(t))
	if diff := cmp.Diff(chainMotoDiffers(), got); diff != "" {
		t.Errorf("moto's STS no longer differs from AWS as recorded: -recorded +moto:\n%s", diff)
	}
	if diff := cmp.Diff(chainDocumented, got); diff != "" {
		t.Logf("where moto's STS differs from AWS: -aws +moto:\n%s", diff)
	}
}
