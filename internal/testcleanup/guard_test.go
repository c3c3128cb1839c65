// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package testcleanup

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoCleanupUsesTestContext fails for every cleanup in the module that
// uses its test's context, directly (t.Cleanup(func() { f(t.Context()) })) or
// through a variable set from it (ctx := t.Context(); t.Cleanup(func() {
// f(ctx) })): that context is cancelled before the cleanup runs.
func TestNoCleanupUsesTestContext(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, pos := range cleanupsUsingTestContext(f) {
			rel, _ := filepath.Rel(root, fset.Position(pos).Filename)
			t.Errorf("%s:%d: a cleanup uses its test's context, which is cancelled before cleanups run: use testcleanup.Add", rel, fset.Position(pos).Line)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("cannot read the module's Go files: %v", err)
	}
	if files < 100 {
		t.Fatalf("read %d Go files under %s; the module has hundreds", files, root)
	}
}

func TestCleanupsUsingTestContext(t *testing.T) {
	cases := map[string]struct {
		reason string
		src    string
		want   int
	}{
		"Direct": {
			reason: "A cleanup that calls t.Context() gets a cancelled context.",
			src:    `func f(t *testing.T) { t.Cleanup(func() { _ = del(t.Context()) }) }`,
			want:   1,
		},
		"ThroughVariable": {
			reason: "A cleanup that uses a variable set from t.Context() gets a cancelled context.",
			src:    `func f(tb testing.TB) { ctx := tb.Context(); tb.Cleanup(func() { _ = del(ctx) }) }`,
			want:   1,
		},
		"WithoutCancel": {
			reason: "A cleanup that detaches the test's context from its cancellation is fine.",
			src:    `func f(t *testing.T) { ctx := t.Context(); t.Cleanup(func() { _ = del(context.WithoutCancel(ctx)) }) }`,
		},
		"Background": {
			reason: "A cleanup with a context of its own is fine.",
			src:    `func f(t *testing.T) { t.Cleanup(func() { _ = del(context.Background()) }) }`,
		},
		"OutsideCleanup": {
			reason: "The test's context is fine outside a cleanup.",
			src:    `func f(t *testing.T) { ctx := t.Context(); _ = del(ctx); t.Cleanup(func() { close(c) }) }`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\n"+tc.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(cleanupsUsingTestContext(f)); got != tc.want {
				t.Errorf("\n%s\ncleanupsUsingTestContext(...): want %d, got %d", tc.reason, tc.want, got)
			}
		})
	}
}

func TestAdd(t *testing.T) {
	var ctxErr error
	ft := &fakeTB{TB: t}
	Add(ft, "restore the thing", func(ctx context.Context) error {
		ctxErr = ctx.Err()
		return errors.New("boom")
	})
	ft.runCleanups()
	if ctxErr != nil {
		t.Errorf("the cleanup's context is done when it runs: %v", ctxErr)
	}
	if want := "cannot restore the thing: boom"; ft.errorf != want {
		t.Errorf("a failed cleanup reports %q, want %q", ft.errorf, want)
	}
}

// fakeTB collects the cleanups and the error of a test.
type fakeTB struct {
	testing.TB

	cleanups []func()
	errorf   string
}

func (f *fakeTB) Helper()                   {}
func (f *fakeTB) Cleanup(fn func())         { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(s string, a ...any) { f.errorf = fmt.Sprintf(s, a...) }

func (f *fakeTB) runCleanups() {
	for _, fn := range f.cleanups {
		fn()
	}
}

// cleanupsUsingTestContext returns the positions of the cleanups of f that
// use their test's context.
func cleanupsUsingTestContext(f *ast.File) []token.Pos {
	var found []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch fn := n.(type) {
		case *ast.FuncDecl:
			body = fn.Body
		case *ast.FuncLit:
			body = fn.Body
		}
		if body == nil {
			return true
		}
		// Variables set from a receiver's Context(), by receiver.
		derived := map[string]map[string]bool{}
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, rhs := range as.Rhs {
				recv, ok := contextCall(rhs)
				id, isID := as.Lhs[i].(*ast.Ident)
				if !ok || !isID {
					continue
				}
				if derived[recv] == nil {
					derived[recv] = map[string]bool{}
				}
				derived[recv][id.Name] = true
			}
			return true
		})
		for _, stmt := range body.List {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, ok := es.X.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				continue
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			recv, isID := receiver(sel)
			if !ok || !isID || sel.Sel.Name != "Cleanup" {
				continue
			}
			lit, ok := call.Args[0].(*ast.FuncLit)
			if !ok {
				continue
			}
			if usesContextOf(lit.Body, recv, derived[recv]) {
				found = append(found, call.Pos())
			}
		}
		return true
	})
	return found
}

// usesContextOf reports whether body calls recv.Context() or uses one of the
// variables vars.
func usesContextOf(body *ast.BlockStmt, recv string, vars map[string]bool) bool {
	uses := false
	ast.Inspect(body, func(n ast.Node) bool {
		if withoutCancel(n) {
			// A context detached from the test's cancellation is fine.
			return false
		}
		if r, ok := contextCall(n); ok && r == recv {
			uses = true
		}
		if id, ok := n.(*ast.Ident); ok && vars[id.Name] {
			uses = true
		}
		return !uses
	})
	return uses
}

// withoutCancel reports whether n is a call of context.WithoutCancel.
func withoutCancel(n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	pkg, isID := receiver(sel)
	return ok && isID && pkg == "context" && sel.Sel.Name == "WithoutCancel"
}

// contextCall reports whether n is a call r.Context(), and returns r.
func contextCall(n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Context" {
		return "", false
	}
	return receiver(sel)
}

// receiver returns the name of the identifier sel selects from.
func receiver(sel *ast.SelectorExpr) (string, bool) {
	if sel == nil {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", false
	}
	return id.Name, true
}

// moduleRoot returns the directory of the module's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
