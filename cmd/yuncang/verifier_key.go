package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang/audit"
)

// verifierKeyArg reads a verifier key given on the command line as flag:
// either the key text (NAME+HASH+KEY, as keygen printed it) or the path of a
// file holding it, such as docs/compliance/sample-inspection.vkey. The
// argument is never repeated in an error: a mistyped signer key is a secret.
func verifierKeyArg(flag, arg string) (note.Verifier, error) {
	const want = "the verifier key (NAME+HASH+KEY, as keygen printed it) or a file holding it"
	if v, err := audit.NewVerifier(arg); err == nil {
		return v, nil
	}
	f, err := os.Open(arg)
	if err != nil {
		if strings.HasPrefix(arg, "PRIVATE+KEY+") {
			return nil, fmt.Errorf("--%s: this is a signer key, which stays secret; give %s", flag, want)
		}
		return nil, fmt.Errorf("--%s: expected %s; the value is neither a well-formed key nor a file that can be read", flag, want)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4<<10))
	if err != nil {
		return nil, fmt.Errorf("--%s: reading %s: %w", flag, arg, err)
	}
	text := strings.TrimSpace(string(b))
	if strings.HasPrefix(text, "PRIVATE+KEY+") {
		return nil, fmt.Errorf("--%s: %s holds a signer key, which stays secret; give %s", flag, arg, want)
	}
	v, err := audit.NewVerifier(text)
	if err != nil {
		return nil, fmt.Errorf("--%s: %s does not hold a verifier key: expected one line NAME+HASH+KEY, as keygen printed it", flag, arg)
	}
	return v, nil
}
