package httpapi_test

import "net/http"

// The security keys' pages in the authorization matrix: every signed-in
// person manages their own keys (registering and removing after a fresh
// step-up; the matrix's sessions are stepped up), and the sign-in
// assertion is public (it answers only a pre-session that proved a
// password).
func init() {
	for p, rs := range map[string][]string{
		"GET /security-keys":               people,
		"GET /security-keys/new":           people,
		"POST /security-keys/new":          people,
		"POST /security-keys":              people,
		"POST /security-keys/{key}/remove": people,
		"POST /login/key":                  {"*"},
		"POST /step-up/key":                people,
	} {
		allowed[p] = rs
		if p != "GET /security-keys" && p != "GET /security-keys/new" {
			consoleSessionPage[p] = true // about one's own sign-in, as sign-out and step-up are: auditors too
		}
	}
	okStatus["POST /security-keys"] = http.StatusBadRequest            // the sample answers no challenge
	okStatus["POST /security-keys/{key}/remove"] = http.StatusNotFound // the sample names no key of the actor's
	okStatus["POST /login/key"] = http.StatusUnauthorized              // no password was proven first
	okStatus["POST /step-up/key"] = http.StatusNotFound                // the actor has no key
}
