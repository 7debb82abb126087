package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("audit", 25, benchAudit) }

// benchAudit measures (1) appending to the audit log with group commit (many
// events per transaction: validate, encode, extend the RFC 6962 tree) against
// a raw insert of the same rows into an identical table, and (2) verifying
// 1,000,000 records against a plain SHA-256 pass over the same bytes.
func benchAudit(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	master, err := vault.ParseMasterKeys("bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		return nil, err
	}
	const n, group = 20000, 200
	events := func(round int) [][]*yuncang.Event {
		var gs [][]*yuncang.Event
		for i := 0; i < n; i += group {
			var g []*yuncang.Event
			for j := i; j < i+group; j++ {
				g = append(g, &yuncang.Event{UserID: int64(j%50 + 1), Username: fmt.Sprintf("cs%02d", j%50), Role: yuncang.RoleCustomerService,
					TenantID: int64(j%3 + 1), Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeDeliveryException,
					Source: "10.1.2.3", Targets: []string{fmt.Sprintf("order:%d", 100000+j)}, Detail: "note: courier cannot find the building"})
			}
			gs = append(gs, g)
		}
		return gs
	}
	bestAppend, bestRaw := 0.0, 0.0
	for r := 0; r < o.rounds; r++ {
		db, err := sqlite.Open(filepath.Join(o.tmp, fmt.Sprintf("audit-%d.db", r)), master)
		if err != nil {
			return nil, err
		}
		if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
			db.Close()
			return nil, err
		}
		gs := events(r)
		start := time.Now()
		for _, g := range gs {
			if err := db.AppendEvents(ctx, g); err != nil {
				db.Close()
				return nil, err
			}
		}
		bestAppend = max(bestAppend, n/time.Since(start).Seconds())
		// The baseline inserts the very bytes the log stored, into a fresh
		// database of the same engine and settings.
		var rows [][]byte
		for rec, err := range db.AuditRecords(ctx) {
			if err != nil {
				db.Close()
				return nil, err
			}
			rows = append(rows, rec.Data)
		}
		db.Close()
		raw, err := sqlite.Open(filepath.Join(o.tmp, fmt.Sprintf("audit-raw-%d.db", r)), master)
		if err != nil {
			return nil, err
		}
		if _, err := raw.Migrate(ctx, sqlite.Migrations()); err != nil {
			raw.Close()
			return nil, err
		}
		start = time.Now()
		for i := 0; i < len(rows); i += group {
			if err := sqlstore.BaselineOf(raw).InsertAudit(ctx, int64(i), rows[i:min(i+group, len(rows))]); err != nil {
				raw.Close()
				return nil, err
			}
		}
		bestRaw = max(bestRaw, float64(len(rows))/time.Since(start).Seconds())
		raw.Close()
	}
	// Verification of a million records, best of the rounds.
	var bestV, bestH time.Duration
	for r := 0; r < max(1, o.rounds-1); r++ {
		v, h, err := audit.BenchVerify(1_000_000)
		if err != nil {
			return nil, err
		}
		if bestV == 0 || v < bestV {
			bestV = v
		}
		if bestH == 0 || h < bestH {
			bestH = h
		}
	}
	return []BenchResult{
		{Name: "audit_append_per_s", Value: bestAppend, Unit: "records/s", Baseline: bestRaw, Ratio: bestAppend / bestRaw, Target: ">= 0.5",
			Note: fmt.Sprintf("SQLite, %d events in groups of %d per transaction, best of %d; baseline: raw insert of the same rows", n, group, o.rounds)},
		{Name: "audit_verify_1m_seconds", Value: bestV.Seconds(), Unit: "s", Baseline: bestH.Seconds(), Ratio: bestV.Seconds() / bestH.Seconds(), Target: "<= 3",
			Note: "recompute the RFC 6962 tree of 1,000,000 records and check checkpoints; baseline: plain SHA-256 over the same bytes"},
	}, nil
}
