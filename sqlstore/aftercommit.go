package sqlstore

import (
	"database/sql"
	"sync"
)

// afterCommit holds, per open transaction of one DB, what to do once it
// commits (the audit log's hash cache learns only committed hashes). inTx
// ends every transaction it begins: a commit runs the transaction's hooks,
// a rollback drops them, and nothing outlives the transaction.
type afterCommit struct {
	mu sync.Mutex
	m  map[*sql.Tx][]func()
}

// add registers fn to run after tx commits. Only transactions begun by
// inTx may register: they are the ones that end through end.
func (a *afterCommit) add(tx *sql.Tx, fn func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = map[*sql.Tx][]func(){}
	}
	a.m[tx] = append(a.m[tx], fn)
}

// end runs tx's hooks if it committed and forgets them either way.
func (a *afterCommit) end(tx *sql.Tx, committed bool) {
	a.mu.Lock()
	fns := a.m[tx]
	delete(a.m, tx)
	a.mu.Unlock()
	if committed {
		for _, fn := range fns {
			fn()
		}
	}
}

// open counts the transactions with hooks waiting (for tests).
func (a *afterCommit) open() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.m)
}
