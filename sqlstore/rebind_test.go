package sqlstore

import "testing"

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE x = ? AND y = ?`, `SELECT a FROM t WHERE x = $1 AND y = $2`},
		{`SELECT '?' , x FROM t WHERE y = ?`, `SELECT '?' , x FROM t WHERE y = $1`},
		{`SELECT 'it''s ?' FROM t WHERE y = ?`, `SELECT 'it''s ?' FROM t WHERE y = $1`},
		{`SELECT "col?" FROM t WHERE y = ?`, `SELECT "col?" FROM t WHERE y = $1`},
		{"SELECT a -- why?\nFROM t WHERE y = ?", "SELECT a -- why?\nFROM t WHERE y = $1"},
		{`SELECT (' ' || targets || ' ') LIKE ? ESCAPE '\'`, `SELECT (' ' || targets || ' ') LIKE $1 ESCAPE '\'`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
