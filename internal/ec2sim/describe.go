// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

// A listing is how a paginated Describe call finds the objects of one kind.
type listing[T any] struct {
	// idParam names the request's list of IDs, such as VpcId.
	idParam string
	// maxResults is the largest MaxResults the call accepts.
	maxResults int
	// objects of the kind in the region, by ID.
	objects map[string]T
	// lookup returns the object of a requested ID, or the error EC2 answers
	// for an ID that is malformed or not found.
	lookup func(id string) (T, *APIError)
	// matches reports whether an object is listed and passes the filters.
	matches func(obj T, fs []filter) bool
}

// describe reads and checks the IDs, filters and page of a paginated Describe
// call, and returns the IDs of the requested page of the objects that match,
// with the token of the next page ("" on the last). filters are the names of
// the kind's filters, besides the tag filters every kind knows. A requested
// ID that is malformed or not found fails the call, as in EC2.
func describe[T any](c *call, l listing[T], filters ...string) ([]string, string, *APIError) {
	ids := c.q.strings(l.idParam)
	fs, err := c.q.filters()
	if err != nil {
		return nil, "", err
	}
	if err := checkFilters(fs, filters...); err != nil {
		return nil, "", err
	}
	page, err := parsePage(c.q, l.maxResults)
	if err != nil {
		return nil, "", err
	}
	for _, id := range ids {
		if _, err := l.lookup(id); err != nil {
			return nil, "", err
		}
	}
	if err := c.ready(); err != nil {
		return nil, "", err
	}
	var matched []string
	for _, id := range selectIDs(ids, l.objects) {
		if l.matches(l.objects[id], fs) {
			matched = append(matched, id)
		}
	}
	return c.s.pager.paginate(c.pageScope(), matched, page)
}

// selectIDs returns the requested IDs (deduplicated), or every ID of m when
// none were requested.
func selectIDs[T any](ids []string, m map[string]T) []string {
	if len(ids) == 0 {
		return sortedKeys(m)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
