// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"os"
	"strings"
	"time"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// Lines of the provider's debug log.
const (
	// logReconciling starts every reconcile of a managed resource.
	logReconciling = "\tReconciling\t"
	// logAcquired is written when a replica becomes the leader.
	logAcquired = "acquired lease"
)

// logSize returns the size of p's log, to read only what comes after.
func logSize(p *stack.Provider) int64 {
	fi, err := os.Stat(p.Process().LogPath())
	if err != nil {
		return 0
	}
	return fi.Size()
}

// firstLine returns the time of the first line of p's log after offset
// that contains part, and whether there is one.
func firstLine(p *stack.Provider, offset int64, part string) (time.Time, bool) {
	data, err := os.ReadFile(p.Process().LogPath())
	if err != nil || int64(len(data)) < offset {
		return time.Time{}, false
	}
	for l := range strings.SplitSeq(string(data[offset:]), "\n") {
		if !strings.Contains(l, part) {
			continue
		}
		return lineTime(l), true
	}
	return time.Time{}, false
}

// klogTime is the layout of the timestamps of client-go's own log lines,
// after their severity letter: they have no year.
const klogTime = "0102 15:04:05.000000"

// lineTime returns the time a log line is stamped with, zero when it has
// none: the provider's debug lines start with it (RFC 3339, to the second),
// klog's come after a severity letter.
func lineTime(l string) time.Time {
	stamp, _, _ := strings.Cut(l, "\t")
	if t, err := time.Parse(time.RFC3339Nano, stamp); err == nil {
		return t
	}
	if len(l) > len(klogTime) && strings.ContainsRune("IWEF", rune(l[0])) {
		if t, err := time.ParseInLocation(klogTime, l[1:1+len(klogTime)], time.Now().Location()); err == nil {
			return t.AddDate(time.Now().Year(), 0, 0)
		}
	}
	return time.Time{}
}

func readLog(p *stack.Provider) (string, error) {
	data, err := os.ReadFile(p.Process().LogPath())
	return string(data), err
}

// logSince returns the lines of p's log stamped at or after t.
func logSince(p *stack.Provider, t time.Time) string {
	data, err := readLog(p)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for l := range strings.SplitSeq(data, "\n") {
		if at := lineTime(l); !at.IsZero() && !at.Before(t) {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
