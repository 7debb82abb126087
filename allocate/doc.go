// Package allocate is the order → plan → reservation use case: it keeps a
// merchant's planning configuration, turns waiting orders and free stock
// into a plan.Problem, lets plan.Solve decide, and has storage reserve the
// stock and record the parcels one order per transaction. The rules are
// plain Go over the narrow Store it declares; storage only reads and
// writes rows.
package allocate
