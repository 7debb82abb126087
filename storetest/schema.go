package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Schema is a dialect-neutral description of a live database schema, so the
// SQLite and PostgreSQL migrations (kept by hand in two dialects) can be
// checked to agree: tables, columns with their kind and nullability, primary
// keys, unique and plain indexes, foreign keys and triggers.
type Schema struct {
	Tables map[string]*Table
}

// Table is one table of a Schema.
type Table struct {
	Columns     map[string]string // name -> "kind null|notnull"
	PrimaryKey  []string
	Indexes     []string // "unique(a,b)" or "index(a,b)", sorted
	ForeignKeys []string // "(a)->t(b)", sorted
	Triggers    []string // "timing event" of each trigger (e.g. "before delete"), sorted
}

// kindOf maps a declared type to the few kinds both engines share.
func kindOf(decl string) string {
	d := strings.ToLower(decl)
	switch {
	case strings.Contains(d, "int"), strings.Contains(d, "bool"), d == "serial", d == "bigserial":
		return "integer"
	case strings.Contains(d, "char"), strings.Contains(d, "text"), strings.Contains(d, "clob"):
		return "text"
	case strings.Contains(d, "blob"), strings.Contains(d, "bytea"):
		return "bytes"
	case strings.Contains(d, "real"), strings.Contains(d, "floa"), strings.Contains(d, "doub"), strings.Contains(d, "numeric"):
		return "real"
	case strings.Contains(d, "json"):
		return "json"
	}
	return "other:" + d
}

func nullability(notNull bool) string {
	if notNull {
		return "notnull"
	}
	return "null"
}

// ignoredTable is bookkeeping of the migration runner, not product schema.
func ignoredTable(name string) bool { return name == "schema_migrations" }

// DescribeSQLite reads the schema of an open SQLite database.
func DescribeSQLite(ctx context.Context, db *sql.DB) (*Schema, error) {
	s := &Schema{Tables: map[string]*Table{}}
	names, err := strs(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if ignoredTable(name) {
			continue
		}
		t := &Table{Columns: map[string]string{}}
		s.Tables[name] = t
		rows, err := db.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return nil, err
		}
		type pkcol struct {
			name string
			pos  int
		}
		var pks []pkcol
		for rows.Next() {
			var col, typ string
			var notNull, pk int
			if err := rows.Scan(&col, &typ, &notNull, &pk); err != nil {
				rows.Close()
				return nil, err
			}
			if pk > 0 {
				pks = append(pks, pkcol{col, pk})
				notNull = 1 // a primary key column is never null in practice
			}
			t.Columns[col] = kindOf(typ) + " " + nullability(notNull == 1)
		}
		rows.Close()
		sort.Slice(pks, func(i, j int) bool { return pks[i].pos < pks[j].pos })
		for _, p := range pks {
			t.PrimaryKey = append(t.PrimaryKey, p.name)
		}
		// Indexes, except the one backing the primary key.
		idx, err := db.QueryContext(ctx, `SELECT name, "unique", origin FROM pragma_index_list(?)`, name)
		if err != nil {
			return nil, err
		}
		type ix struct {
			name   string
			unique bool
		}
		var ixs []ix
		for idx.Next() {
			var n, origin string
			var u int
			if err := idx.Scan(&n, &u, &origin); err != nil {
				idx.Close()
				return nil, err
			}
			if origin != "pk" {
				ixs = append(ixs, ix{n, u == 1})
			}
		}
		idx.Close()
		for _, x := range ixs {
			cols, err := strs(ctx, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, x.name)
			if err != nil {
				return nil, err
			}
			t.Indexes = append(t.Indexes, indexDesc(x.unique, cols))
		}
		fks, err := db.QueryContext(ctx, `SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, name)
		if err != nil {
			return nil, err
		}
		byID := map[int][3][]string{}
		var order []int
		for fks.Next() {
			var id int
			var ref, from string
			var to sql.NullString
			if err := fks.Scan(&id, &ref, &from, &to); err != nil {
				fks.Close()
				return nil, err
			}
			e, seen := byID[id]
			if !seen {
				order = append(order, id)
			}
			e[0] = append(e[0], from)
			e[1] = []string{ref}
			e[2] = append(e[2], to.String)
			byID[id] = e
		}
		fks.Close()
		for _, id := range order {
			e := byID[id]
			to := e[2]
			if slices.Contains(to, "") { // REFERENCES t without columns: t's primary key
				to = []string{"id"}
			}
			t.ForeignKeys = append(t.ForeignKeys, fmt.Sprintf("(%s)->%s(%s)", strings.Join(e[0], ","), e[1][0], strings.Join(to, ",")))
		}
		defs, err := strs(ctx, db, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, name)
		if err != nil {
			return nil, err
		}
		for _, d := range defs {
			m := sqliteTrigger.FindStringSubmatch(strings.ToLower(d))
			if m == nil {
				return nil, fmt.Errorf("table %s: unparsed trigger %q", name, d)
			}
			t.Triggers = append(t.Triggers, m[1]+" "+m[2])
		}
		t.sort()
	}
	return s, nil
}

// DescribePostgres reads the schema of the current schema (search_path) of
// a PostgreSQL database.
func DescribePostgres(ctx context.Context, db *sql.DB) (*Schema, error) {
	s := &Schema{Tables: map[string]*Table{}}
	names, err := strs(ctx, db, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if ignoredTable(name) {
			continue
		}
		t := &Table{Columns: map[string]string{}}
		s.Tables[name] = t
		rows, err := db.QueryContext(ctx, `SELECT column_name, data_type, is_nullable FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1`, name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var col, typ, nullable string
			if err := rows.Scan(&col, &typ, &nullable); err != nil {
				rows.Close()
				return nil, err
			}
			t.Columns[col] = kindOf(typ) + " " + nullability(nullable == "NO")
		}
		rows.Close()
		// Index columns in index order; expression indexes show as "expr".
		idx, err := db.QueryContext(ctx, `SELECT i.indisprimary, i.indisunique,
				array_to_string(ARRAY(SELECT COALESCE(a.attname, 'expr') FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
					LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o), ',')
			FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
			WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`, name)
		if err != nil {
			return nil, err
		}
		for idx.Next() {
			var primary, unique bool
			var cols string
			if err := idx.Scan(&primary, &unique, &cols); err != nil {
				idx.Close()
				return nil, err
			}
			if primary {
				t.PrimaryKey = strings.Split(cols, ",")
				continue
			}
			t.Indexes = append(t.Indexes, indexDesc(unique, strings.Split(cols, ",")))
		}
		idx.Close()
		fks, err := db.QueryContext(ctx, `SELECT
				array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
					JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ','),
				r.relname,
				array_to_string(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
					JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), ',')
			FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
			WHERE c.contype = 'f' AND t.relname = $1 AND t.relnamespace = current_schema()::regnamespace`, name)
		if err != nil {
			return nil, err
		}
		for fks.Next() {
			var from, ref, to string
			if err := fks.Scan(&from, &ref, &to); err != nil {
				fks.Close()
				return nil, err
			}
			t.ForeignKeys = append(t.ForeignKeys, fmt.Sprintf("(%s)->%s(%s)", from, ref, to))
		}
		fks.Close()
		if t.Triggers, err = strs(ctx, db, `SELECT lower(action_timing || ' ' || event_manipulation) FROM information_schema.triggers
			WHERE event_object_schema = current_schema() AND event_object_table = $1`, name); err != nil {
			return nil, err
		}
		t.sort()
	}
	return s, nil
}

// sqliteTrigger finds a trigger's timing and event in its definition.
var sqliteTrigger = regexp.MustCompile(`create\s+trigger\s+(?:if\s+not\s+exists\s+)?\S+\s+(before|after|instead of)\s+(insert|update|delete)`)

func indexDesc(unique bool, cols []string) string {
	kind := "index"
	if unique {
		kind = "unique"
	}
	return kind + "(" + strings.Join(cols, ",") + ")"
}

func (t *Table) sort() {
	sort.Strings(t.Indexes)
	sort.Strings(t.ForeignKeys)
	sort.Strings(t.Triggers)
}

// Diff lists every way b differs from a, one line each; empty when they agree.
func Diff(aName string, a *Schema, bName string, b *Schema) []string {
	var out []string
	for _, name := range sortedKeys(a.Tables, b.Tables) {
		ta, tb := a.Tables[name], b.Tables[name]
		switch {
		case ta == nil:
			out = append(out, fmt.Sprintf("table %s: only in %s", name, bName))
			continue
		case tb == nil:
			out = append(out, fmt.Sprintf("table %s: only in %s", name, aName))
			continue
		}
		for _, col := range sortedKeys(ta.Columns, tb.Columns) {
			ca, cb := ta.Columns[col], tb.Columns[col]
			if ca != cb {
				out = append(out, fmt.Sprintf("table %s column %s: %s %q, %s %q", name, col, aName, ca, bName, cb))
			}
		}
		if !slices.Equal(ta.PrimaryKey, tb.PrimaryKey) {
			out = append(out, fmt.Sprintf("table %s primary key: %s %v, %s %v", name, aName, ta.PrimaryKey, bName, tb.PrimaryKey))
		}
		for _, kind := range []struct {
			what   string
			aa, bb []string
		}{{"index", ta.Indexes, tb.Indexes}, {"foreign key", ta.ForeignKeys, tb.ForeignKeys}, {"trigger", ta.Triggers, tb.Triggers}} {
			for _, x := range missingFrom(kind.aa, kind.bb) {
				out = append(out, fmt.Sprintf("table %s %s %s: only in %s", name, kind.what, x, aName))
			}
			for _, x := range missingFrom(kind.bb, kind.aa) {
				out = append(out, fmt.Sprintf("table %s %s %s: only in %s", name, kind.what, x, bName))
			}
		}
	}
	return out
}

// missingFrom returns the members of a (with multiplicity) absent from b.
func missingFrom(a, b []string) []string {
	left := map[string]int{}
	for _, x := range b {
		left[x]++
	}
	var out []string
	for _, x := range a {
		if left[x] > 0 {
			left[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

func sortedKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func strs(ctx context.Context, db *sql.DB, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
