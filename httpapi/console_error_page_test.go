package httpapi_test

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleErrorPages: an address that is no console page answers the
// console's HTML error page, not a JSON problem document (it did); the
// common API refusals read in the page's language and name the parameter
// ("must be csv or jsonl" said neither which parameter nor in Chinese).
func TestConsoleErrorPages(t *testing.T) {
	f := newFixture(t)
	cookie := func(key string) string { return httpapi.SessionCookie + "=" + f.pages[key] }
	for _, c := range []struct {
		name, path, key, lang string
		status                int
		want                  string
	}{
		{"unknown page", "/import", "merchant_admin@ta", "", 404, "没有这个页面"},
		{"unknown page, English", "/import", "merchant_admin@ta", "en", 404, "There is no such page"},
		{"unknown page, signed out", "/import", "", "", 404, "没有这个页面"},
		{"role may not", "/audit/export", "merchant_admin@ta", "", 403, "您的角色无权执行此操作"},
		{"role may not, English", "/audit/export", "merchant_admin@ta", "en", 403, "Your role may not do this"},
		{"export without format", "/audit/export", yuncang.RoleSecurityOfficer, "", 400, "参数 format 只能是：csv、jsonl"},
		{"export without format, English", "/audit/export", yuncang.RoleSecurityOfficer, "en", 400, "The parameter format must be one of: csv or jsonl"},
		{"floor without tenant", "/floor/YW1", yuncang.RoleOperator, "", 400, "缺少参数 tenant"},
		{"floor without tenant, English", "/floor/YW1", yuncang.RoleOperator, "en", 400, "The parameter tenant is required"},
	} {
		var headers []string
		ck := []string{}
		if c.key != "" {
			ck = append(ck, cookie(c.key))
		}
		if c.lang != "" {
			ck = append(ck, "yc_lang="+c.lang)
		}
		if len(ck) > 0 {
			headers = []string{"Cookie", strings.Join(ck, "; ")}
		}
		rec := f.do(t, "GET", c.path, "", "", headers...)
		body := rec.Body.String()
		if rec.Code != c.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %d and an HTML page saying %q:\n%.600s", c.name, rec.Code, rec.Header().Get("Content-Type"), c.status, c.want, body)
		}
	}
	// The API's unknown addresses stay problem documents.
	if rec := f.do(t, "GET", "/api/v1/nope", f.tokens["merchant_admin@ta"], ""); rec.Code != 404 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown API path: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
