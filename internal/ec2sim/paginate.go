// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sort"
)

// A pager issues and checks NextToken values. A token names the last ID of
// the previous page, a random nonce so that no token ever repeats, and a MAC
// over both and the account, region and action, so that a token the server
// did not issue is rejected with InvalidNextToken.
type pager struct {
	key []byte
}

func newPager() *pager {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return &pager{key: k}
}

const (
	nonceLen = 8
	macLen   = 16
)

func (p *pager) mac(scope string, body []byte) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(scope))
	m.Write([]byte{0})
	m.Write(body)
	return m.Sum(nil)[:macLen]
}

func (p *pager) issue(scope, lastID string) string {
	body := make([]byte, 0, len(lastID)+nonceLen+macLen)
	body = append(body, lastID...)
	nonce := make([]byte, nonceLen)
	_, _ = rand.Read(nonce)
	body = append(body, nonce...)
	body = append(body, p.mac(scope, body)...)
	return base64.RawURLEncoding.EncodeToString(body)
}

func (p *pager) open(scope, token string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < nonceLen+macLen {
		return "", false
	}
	body, mac := b[:len(b)-macLen], b[len(b)-macLen:]
	if !hmac.Equal(mac, p.mac(scope, body)) {
		return "", false
	}
	return string(bytes.Clone(body[:len(body)-nonceLen])), true
}

// A pageRequest is MaxResults and NextToken of a Describe call.
type pageRequest struct {
	max   int
	token string
}

// minPage is the smallest MaxResults of every Describe call.
const minPage = 5

// parsePage reads MaxResults (in [minPage, maximum]) and NextToken.
func parsePage(q view, maximum int) (pageRequest, *APIError) {
	n, ok, err := q.integer("MaxResults", minPage, maximum)
	if err != nil {
		return pageRequest{}, err
	}
	if !ok {
		n = 0
	}
	return pageRequest{max: n, token: q.opt("NextToken")}, nil
}

// paginate returns one page of ids (sorted here) and the next token, or ""
// on the last page.
func (p *pager) paginate(scope string, ids []string, pr pageRequest) ([]string, string, *APIError) {
	sort.Strings(ids)
	start := 0
	if pr.token != "" {
		last, ok := p.open(scope, pr.token)
		if !ok {
			return nil, "", clientError(codeInvalidNextToken, "The token '%s' is invalid.", pr.token)
		}
		start = sort.SearchStrings(ids, last)
		if start < len(ids) && ids[start] == last {
			start++
		}
	}
	rest := ids[start:]
	if pr.max == 0 || len(rest) <= pr.max {
		return rest, "", nil
	}
	page := rest[:pr.max]
	return page, p.issue(scope, page[len(page)-1]), nil
}
