package console

import (
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
	for _, r := range yuncang.Roles {
		if r != yuncang.RoleCarrier {
			keys["role."+r] = true
		}
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
		"/\\evil.example": "/", "": "/", "/ok\r\nSet-Cookie: x": "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
