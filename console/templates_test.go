package console

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestMessagesComplete: every message key a template names literally is in
// the catalogue with both languages, and every role has a name.
func TestMessagesComplete(t *testing.T) {
	keyUse := regexp.MustCompile(`\.T "([^"]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatal("no templates", err)
	}
	keys := map[string]bool{}
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	// Keys the templates build from values.
	for _, r := range yuncang.Roles {
		if r != yuncang.RoleCarrier {
			keys["role."+r] = true
		}
	}
	for _, s := range yuncang.OrderStatuses {
		keys["status."+s] = true
	}
	for _, p := range yuncang.Purposes {
		keys["purpose."+p] = true
	}
	for _, s := range []string{"queued", "storing", "done", "failed"} {
		keys["import.state."+s] = true
	}
	for _, s := range []int{400, 401, 403, 404, 409, 429, 500} {
		keys[fmt.Sprintf("error.%d", s)] = true
	}
	for k := range keys {
		m, ok := messages[k]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("message %q is missing a language", k)
		}
	}
	if translate(langEN, "nav.home") != "Home" || translate(langZH, "nav.home") != "首页" {
		t.Error("translate picks the wrong language")
	}
}

// TestTemplatesHaveNoInlineCode: the CSP forbids inline script and style,
// so a template that has them would break in the browser.
func TestTemplatesHaveNoInlineCode(t *testing.T) {
	inline := regexp.MustCompile(`(?i)\sstyle\s*=|<style|\son[a-z]+\s*=|javascript:`)
	script := regexp.MustCompile(`(?i)<script([^>]*)>([^<]*)`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, line := range strings.Split(string(b), "\n") {
			if inline.MatchString(line) {
				t.Errorf("%s: inline code: %s", f, strings.TrimSpace(line))
			}
			for _, m := range script.FindAllStringSubmatch(line, -1) {
				if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
					t.Errorf("%s: inline script: %s", f, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestLocalPath: redirects after forms never leave the site.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{"/orders?status=new": "/orders?status=new", "//evil.example/": "/", "https://evil.example": "/",
		"/\\evil.example": "/", "": "/", "/ok\r\nSet-Cookie: x": "/", "/\t/evil.example/": "/", "/\t\\evil.example": "/",
		"/%09/evil.example": "/%09/evil.example", "/\x7f/evil": "/", "/orders/12#x": "/orders/12#x"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestChartOf: bars are proportional to parcels, the largest full width.
func TestChartOf(t *testing.T) {
	ch := chartOf([]analyticsRow{{Key: "SF", Parcels: 40}, {Key: "ZTO", Parcels: 10}, {Key: "33", Name: "浙江省", Parcels: 0}})
	if len(ch.Bars) != 3 || ch.Bars[0].W != 520 || ch.Bars[1].W != 130 || ch.Bars[2].W != 0 || ch.Bars[2].Label != "浙江省" {
		t.Fatalf("bars %+v", ch.Bars)
	}
	if ch.Bars[1].Y <= ch.Bars[0].Y || ch.Height < ch.Bars[2].Y+16 {
		t.Errorf("layout %+v", ch)
	}
}
