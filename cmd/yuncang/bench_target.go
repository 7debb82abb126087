package main

import (
	"strconv"
	"strings"
)

// targetMet says whether a figure meets its target, as far as the target
// says it in a form that can be checked: clauses joined by "; ", each an
// operator (<=, <, >=, >) and a number, about the ratio unless the rest of
// the clause names a rate ("/s"), which is about the value itself. checked
// is false for targets that are a shape rather than a bound ("~1 (flat)",
// "O(erased orders)") or a figure without a target: those are read, not
// judged.
func targetMet(r BenchResult) (met, checked bool) {
	if r.Target == "" {
		return false, false
	}
	met = true
	for _, clause := range strings.Split(r.Target, ";") {
		clause = strings.TrimSpace(clause)
		op := ""
		for _, o := range []string{"<=", ">=", "<", ">"} {
			if strings.HasPrefix(clause, o) {
				op = o
				break
			}
		}
		if op == "" {
			return false, false
		}
		rest := strings.TrimSpace(clause[len(op):])
		end := strings.IndexFunc(rest, func(c rune) bool { return (c < '0' || c > '9') && c != '.' })
		if end < 0 {
			end = len(rest)
		}
		limit, err := strconv.ParseFloat(rest[:end], 64)
		if err != nil {
			return false, false
		}
		x := r.Ratio
		if strings.Contains(rest[end:], "/s") {
			x = r.Value
		}
		switch op {
		case "<=":
			met = met && x <= limit
		case "<":
			met = met && x < limit
		case ">=":
			met = met && x >= limit
		case ">":
			met = met && x > limit
		}
	}
	return met, true
}
