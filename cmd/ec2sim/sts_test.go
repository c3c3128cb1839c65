// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSTSCLI assumes a chain of two roles declared with --role through the
// AWS CLI, creates a VPC with the last session, and is refused with a wrong
// external ID.
func TestSTSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI (aws) is not installed")
	}
	endpoint := start(t, "--secret", "s3cret",
		`--role={"arn":"arn:aws:iam::111111111111:role/hub","trust":{"principals":["*"],"externalID":"ext-1"}}`,
		`--role={"arn":"arn:aws:iam::222222222222:role/egress","trust":{"principals":["arn:aws:iam::111111111111:role/hub"]}}`)
	type keys struct{ id, secret, token string }
	cli := func(k keys, args ...string) (map[string]any, string) {
		cmd := exec.CommandContext(t.Context(), "aws", append([]string{"--endpoint-url", endpoint, "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID="+k.id, "AWS_SECRET_ACCESS_KEY="+k.secret, "AWS_SESSION_TOKEN="+k.token,
			"AWS_DEFAULT_REGION=us-east-1", "AWS_MAX_ATTEMPTS=1", "AWS_PAGER=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, strings.TrimSpace(stderr.String())
		}
		out := map[string]any{}
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("aws %v: %v: %s", args, err, stdout.String())
		}
		return out, ""
	}
	assume := func(k keys, role string, extra ...string) keys {
		out, errText := cli(k, append([]string{"sts", "assume-role", "--role-arn", role, "--role-session-name", "cli"}, extra...)...)
		if errText != "" {
			t.Fatalf("assume-role %s: %s", role, errText)
		}
		c := out["Credentials"].(map[string]any)
		return keys{c["AccessKeyId"].(string), c["SecretAccessKey"].(string), c["SessionToken"].(string)}
	}
	base := keys{id: "AKIDCLI", secret: "s3cret"}
	hub := assume(base, "arn:aws:iam::111111111111:role/hub", "--external-id", "ext-1")
	egress := assume(hub, "arn:aws:iam::222222222222:role/egress")
	who, errText := cli(egress, "sts", "get-caller-identity")
	if errText != "" {
		t.Fatal(errText)
	}
	if diff := cmp.Diff(map[string]any{"Account": "222222222222", "Arn": "arn:aws:sts::222222222222:assumed-role/egress/cli"}, map[string]any{"Account": who["Account"], "Arn": who["Arn"]}); diff != "" {
		t.Errorf("get-caller-identity of the chain: -want +got:\n%s", diff)
	}
	vpc, errText := cli(egress, "ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")
	if errText != "" {
		t.Fatal(errText)
	}
	if got := vpc["Vpc"].(map[string]any)["OwnerId"]; got != "222222222222" {
		t.Errorf("VPC of the chain's session owned by %v, want 222222222222", got)
	}
	_, errText = cli(base, "sts", "assume-role", "--role-arn", "arn:aws:iam::111111111111:role/hub", "--role-session-name", "cli", "--external-id", "wrong")
	if want := "An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::"; !strings.HasPrefix(errText, want) {
		t.Errorf("assume-role with a wrong external ID: %q, want it to start with %q", errText, want)
	}
}
