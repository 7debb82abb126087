package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
)

// FuzzOrderIntakeJSON: the order intake path before storage — decodeJSON
// into the wire type, then intake.Prepare. Neither may panic; every refusal
// is EINVALID; and no error message repeats a recipient's name, phone or
// address (they are personal data and errors reach logs and clients).
func FuzzOrderIntakeJSON(f *testing.F) {
	for _, s := range []string{
		`{"merchant_order_id":"A1","lines":[{"sku":"S1","quantity":2}],"recipient":{"name":"张三","phone":"13812345678","address":"浙江省金华市义乌市稠城街道工人北路1号"},"remarks":"放门口"}`,
		`{"merchant_order_id":"A1","lines":[],"recipient":{}}`,
		`{"merchant_order_id":"A1","lines":[{"sku":"S1","quantity":1e9}],"recipient":{"name":"李四","phone":"+86 138 1234 5678","address":"北京市朝阳区建国路88号"}}`,
		`{"merchant_order_id":1}`, `{"unknown":true}`, `{} {}`, `[`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/v1/orders", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var req OrderRequest
		if err := decodeJSON(w, r, &req); err != nil {
			if yuncang.ErrorCode(err) != yuncang.EINVALID {
				t.Fatalf("decodeJSON(%q): %v", body, err)
			}
			return
		}
		_, err := intake.Prepare(1, req.toInput())
		if err == nil {
			return
		}
		if yuncang.ErrorCode(err) != yuncang.EINVALID {
			t.Fatalf("Prepare: %v", err)
		}
		msg := err.Error()
		for _, v := range []string{req.Recipient.Name, req.Recipient.Phone, req.Recipient.Address} {
			if v = strings.TrimSpace(v); len(v) >= 6 && strings.Contains(msg, v) {
				t.Fatalf("error %q repeats the recipient's data %q", msg, v)
			}
		}
	})
}
