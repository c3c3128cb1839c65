// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// asTable asks the API server for a table, as kubectl get does: the
// columns are the CRD's printer columns.
const asTable = "application/json;as=Table;v=v1;g=meta.k8s.io"

// A printer prints rows of a resource as the API server renders them for
// kubectl get -o wide, in columns of fixed width.
type printer struct {
	client *http.Client
	url    string
	widths map[string]int
}

func newPrinter(cfg *rest.Config, path string) (*printer, error) {
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, errors.Wrap(err, "cannot build API server client")
	}
	return &printer{
		client: hc,
		url:    strings.TrimSuffix(cfg.Host, "/") + path,
		widths: map[string]int{"NAME": 18, "EXTERNAL-NAME": 24, "STATE": 11, "AGE": 6},
	}, nil
}

// get returns the resource's table.
func (p *printer) get(ctx context.Context) (*metav1.Table, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return nil, errors.Wrap(err, "cannot build table request")
	}
	req.Header.Set("Accept", asTable)
	rsp, err := p.client.Do(req)
	if err != nil {
		return nil, errors.Wrap(err, "cannot get table")
	}
	defer rsp.Body.Close() //nolint:errcheck // read only
	body, err := io.ReadAll(rsp.Body)
	if err != nil {
		return nil, errors.Wrap(err, "cannot read table")
	}
	if rsp.StatusCode != http.StatusOK {
		return nil, errors.Errorf("cannot get table: %s: %s", rsp.Status, strings.TrimSpace(string(body)))
	}
	t := &metav1.Table{}
	return t, errors.Wrap(json.Unmarshal(body, t), "cannot decode table")
}

// width returns the width of a column, which leaves at least two spaces
// after its name and after v.
func (p *printer) width(col, v string) int {
	w, ok := p.widths[col]
	if !ok {
		w = len(col) + 3
	}
	return max(w, len(col)+2, len(v)+2)
}

// header returns the column names.
func (p *printer) header(t *metav1.Table) string {
	var b strings.Builder
	for _, c := range t.ColumnDefinitions {
		name := strings.ToUpper(c.Name)
		fmt.Fprintf(&b, "%-*s", p.width(name, name), name)
	}
	return strings.TrimRight(b.String(), " ")
}

// row returns the first row, and the cells by column name.
func (p *printer) row(t *metav1.Table) (string, map[string]string) {
	cells := map[string]string{}
	if len(t.Rows) == 0 {
		return "", cells
	}
	var b strings.Builder
	for i, c := range t.ColumnDefinitions {
		v := ""
		if i < len(t.Rows[0].Cells) && t.Rows[0].Cells[i] != nil {
			v = fmt.Sprint(t.Rows[0].Cells[i])
		}
		name := strings.ToUpper(c.Name)
		cells[name] = v
		fmt.Fprintf(&b, "%-*s", p.width(name, v), v)
	}
	return strings.TrimRight(b.String(), " "), cells
}
