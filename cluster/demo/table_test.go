// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPrinter(t *testing.T) {
	p := &printer{widths: map[string]int{"NAME": 8, "EXTERNAL-NAME": 10}}
	cols := []metav1.TableColumnDefinition{{Name: "Name"}, {Name: "READY"}, {Name: "EXTERNAL-NAME"}, {Name: "RECREATIONS"}}

	cases := map[string]struct {
		reason     string
		table      *metav1.Table
		wantHeader string
		wantRow    string
		wantCells  map[string]string
	}{
		"Row": {
			reason:     "Cells are padded to their column's width, or two spaces past a longer value, and named by upper-cased column.",
			table:      &metav1.Table{ColumnDefinitions: cols, Rows: []metav1.TableRow{{Cells: []any{"gw", "True", "nat-0123456789abcdef0", int64(2)}}}},
			wantHeader: "NAME    READY   EXTERNAL-NAME  RECREATIONS",
			wantRow:    "gw      True    nat-0123456789abcdef0  2",
			wantCells:  map[string]string{"NAME": "gw", "READY": "True", "EXTERNAL-NAME": "nat-0123456789abcdef0", "RECREATIONS": "2"},
		},
		"EmptyCells": {
			reason:     "Missing and null cells are empty.",
			table:      &metav1.Table{ColumnDefinitions: cols, Rows: []metav1.TableRow{{Cells: []any{"gw", nil}}}},
			wantHeader: "NAME    READY   EXTERNAL-NAME  RECREATIONS",
			wantRow:    "gw",
			wantCells:  map[string]string{"NAME": "gw", "READY": "", "EXTERNAL-NAME": "", "RECREATIONS": ""},
		},
		"NoRow": {
			reason:     "A table without rows has a header and no row.",
			table:      &metav1.Table{ColumnDefinitions: cols},
			wantHeader: "NAME    READY   EXTERNAL-NAME  RECREATIONS",
			wantCells:  map[string]string{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.wantHeader, p.header(tc.table)); diff != "" {
				t.Errorf("%s\nheader: -want +got:\n%s", tc.reason, diff)
			}
			row, cells := p.row(tc.table)
			if diff := cmp.Diff(tc.wantRow, row); diff != "" {
				t.Errorf("%s\nrow: -want +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.wantCells, cells); diff != "" {
				t.Errorf("%s\ncells: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
