package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/sqlstore"
)

// auditEnv is a migrated SQLite database with an audit log of 40 events,
// checkpointed (stored and published) at 20 and at 40.
func auditEnv(t *testing.T) (path string, ctx context.Context) {
	t.Helper()
	ctx = context.Background()
	path = useDB(t)
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	appendEvents(t, 0, 20)
	if code, out, e := runCmd(t, "", "audit", "checkpoint"); code != 0 || !strings.Contains(out, "checkpoint 20") {
		t.Fatalf("checkpoint: %d %q %q", code, out, e)
	}
	appendEvents(t, 20, 40)
	if code, out, e := runCmd(t, "", "audit", "checkpoint"); code != 0 || !strings.Contains(out, "checkpoint 40") {
		t.Fatalf("checkpoint: %d %q %q", code, out, e)
	}
	if code, out, e := runCmd(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("verify of an untouched log: %d %q %q", code, out, e)
	}
	return path, ctx
}

func openTestStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	var c Config
	c.DataDir = envOr("YUNCANG_DATA", "")
	c.MasterKey = envOr("YUNCANG_MASTER_KEY", "")
	db, _, err := openConfigured(context.Background(), &c, false)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func appendEvents(t *testing.T, from, to int) {
	t.Helper()
	db := openTestStore(t)
	defer db.Close()
	for i := from; i < to; i++ {
		e := &yuncang.Event{UserID: int64(i%5 + 1), Username: fmt.Sprintf("cs%d", i%5), Role: yuncang.RoleCustomerService,
			Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeDeliveryException,
			Targets: []string{fmt.Sprintf("order:%d", 1000+i)}, Detail: fmt.Sprintf("note %d", i)}
		if err := db.RecordEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs SQL against the database file directly, as a DBA would.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestAuditVerifyCatchesTampering edits the stored log in every way the
// issue names and expects `yuncang audit verify` to fail naming the index
// and the kind of each.
func TestAuditVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name  string
		do    func(t *testing.T, path string)
		wants []string
	}{
		{"edit one byte", func(t *testing.T, path string) {
			// Flip one byte inside record 7's detail ("note 7" -> "mote 7").
			tamper(t, path, `UPDATE audit_records SET data = CAST(REPLACE(CAST(data AS TEXT), 'note 7', 'mote 7') AS BLOB) WHERE idx = 7`)
		}, []string{"modified", "index 7"}},
		{"edit a query column", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE audit_records SET actor_id = 99 WHERE idx = 12`)
		}, []string{"modified at index 12"}},
		{"delete one", func(t *testing.T, path string) {
			tamper(t, path, `DELETE FROM audit_records WHERE idx = 9`)
		}, []string{"deleted", "index 9"}},
		{"delete one and renumber", func(t *testing.T, path string) {
			tamper(t, path, `DELETE FROM audit_records WHERE idx = 9`,
				`UPDATE audit_records SET idx = -idx WHERE idx > 9`, `UPDATE audit_records SET idx = -idx - 1 WHERE idx < 0`,
				`UPDATE audit_head SET size = 39`)
		}, []string{"deleted", "index 9"}},
		{"insert one at the end", func(t *testing.T, path string) {
			tamper(t, path, `INSERT INTO audit_records (idx, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes)
				SELECT 40, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes FROM audit_records WHERE idx = 3`,
				`UPDATE audit_head SET size = 41`)
		}, []string{"inserted"}},
		{"insert one in the middle and renumber", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE audit_records SET idx = -idx WHERE idx >= 10`, `UPDATE audit_records SET idx = -idx + 1 WHERE idx < 0`,
				`INSERT INTO audit_records (idx, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes)
				SELECT 10, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes FROM audit_records WHERE idx = 2`,
				`UPDATE audit_head SET size = 41`)
		}, []string{"inserted", "10"}},
		{"swap two", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE audit_records SET idx = -1 WHERE idx = 4`, `UPDATE audit_records SET idx = 4 WHERE idx = 5`,
				`UPDATE audit_records SET idx = 5 WHERE idx = -1`)
		}, []string{"reordered", "index 4"}},
		{"truncate the tail", func(t *testing.T, path string) {
			tamper(t, path, `DELETE FROM audit_records WHERE idx >= 35`, `UPDATE audit_head SET size = 35`)
		}, []string{"truncated"}},
		{"rewrite the whole tree consistently after publication", func(t *testing.T, path string) {
			rewriteLog(t, path)
		}, []string{"root_mismatch", "published checkpoint of size 20"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, _ := auditEnv(t)
			c.do(t, path)
			code, out, errOut := runCmd(t, "", "audit", "verify")
			if code == 0 {
				t.Fatalf("verify passed a tampered log:\n%s", out)
			}
			if !strings.Contains(errOut, "FAILED") {
				t.Errorf("no failure summary: %q", errOut)
			}
			if strings.Contains(errOut, " 1 problems") {
				t.Errorf("summary not in the singular: %q", errOut)
			}
			for _, w := range c.wants {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// rewriteLog replays the whole log with one record changed, through the
// real append code, so every hash is consistent; then deletes the stored
// checkpoints that would contradict it. Only the published checkpoints,
// outside the database, still remember the original history.
func rewriteLog(t *testing.T, path string) {
	t.Helper()
	db := openTestStore(t)
	var evs []*yuncang.Event
	for r, err := range db.AuditRecords(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		a, err := audit.DecodeEvent(r.Data)
		if err != nil {
			t.Fatal(err)
		}
		e := &yuncang.Event{At: a.Time, UserID: a.ActorID, Username: a.ActorName, Role: a.Role, Kind: string(a.Action), Outcome: a.Outcome,
			Purpose: a.Purpose, Targets: a.Targets, Detail: a.Detail}
		if a.Index == 13 {
			e.Targets = []string{"order:1"} // hide what was really revealed
		}
		evs = append(evs, e)
	}
	db.Close()
	tamper(t, path, `DELETE FROM audit_records`, `DELETE FROM audit_checkpoints`, `UPDATE audit_head SET size = 0`)
	db = openTestStore(t)
	defer db.Close()
	if err := db.AppendEvents(context.Background(), evs); err != nil {
		t.Fatal(err)
	}
}

// TestCheckpointRefusesRewrittenHistory: after a consistent rewrite, the
// next routine checkpoint refuses to sign the forged tree.
func TestCheckpointRefusesRewrittenHistory(t *testing.T) {
	path, _ := auditEnv(t)
	rewriteLog(t, path)
	appendEvents(t, 40, 41)
	code, _, errOut := runCmd(t, "", "audit", "checkpoint")
	if code == 0 || !strings.Contains(errOut, "TAMPERING SUSPECTED") {
		t.Fatalf("checkpoint over a rewritten log: %d %q", code, errOut)
	}
}
