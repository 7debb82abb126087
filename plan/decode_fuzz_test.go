package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/yuncang/yuncang"
)

// FuzzDecode: plan input from clients. Decode never panics, refuses only
// with EINVALID (an EINTERNAL means its shape check let through something
// encoding/json then refused: a bug), and a problem it accepts either fails
// Validate with EINVALID or is planned by Greedy without panicking.
func FuzzDecode(f *testing.F) {
	seed, err := json.Marshal(testProblem())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"orders":[{"id":"a","lines":[{"sku":"x","qty":-1}]}]}`))
	f.Add([]byte(`{"orders":null,"warehouses":[{"id":1e400}]}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			if yuncang.ErrorCode(err) != yuncang.EINVALID {
				t.Fatalf("Decode(%q): %v", data, err)
			}
			return
		}
		if err := Validate(p); err != nil {
			if yuncang.ErrorCode(err) != yuncang.EINVALID {
				t.Fatalf("Validate: %v", err)
			}
			return
		}
		if len(p.Orders) > 50 {
			return // keep each run short; size is Solve's business, not Decode's
		}
		if _, err := Greedy(p); err != nil && yuncang.ErrorCode(err) == yuncang.EINTERNAL {
			t.Fatalf("Greedy on a valid problem: %v", err)
		}
	})
}
