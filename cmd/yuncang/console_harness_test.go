package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/httpapi"
)

// The console's browser tests drive Debian's Chromium, headless, against
// the real wiring (startServer: 127.0.0.1:0, a temporary SQLite file, the
// demo data set). Without /usr/bin/chromium they skip, except on CI
// (CI=true), where a missing browser fails them.

const chromiumPath = "/usr/bin/chromium"

// browser is one fresh Chromium (own profile) on a test server.
type browser struct {
	ts  *testServer
	ctx context.Context
	// responses holds the last response headers per URL path the page
	// loaded (for the CSP and cache assertions).
	mu        sync.Mutex
	responses map[string]network.Headers
	statuses  map[string]int64
}

// needChromium skips the test when Chromium is missing (fails on CI).
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing on CI: .ci/run installs the chromium package", chromiumPath)
		}
		t.Skipf("browser test skipped: %s is not installed (apt-get install chromium)", chromiumPath)
	}
}

// newBrowser starts Chromium with a viewport of w×h for the test server.
func newBrowser(t *testing.T, ts *testServer, w, h int) *browser {
	t.Helper()
	needChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	b := &browser{ts: ts, ctx: ctx, responses: map[string]network.Headers{}, statuses: map[string]int64{}}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok {
			path := e.Response.URL
			if i := strings.Index(path, "://"); i >= 0 {
				if j := strings.Index(path[i+3:], "/"); j >= 0 {
					path = path[i+3+j:]
				}
			}
			b.mu.Lock()
			b.responses[path] = e.Response.Headers
			b.statuses[path] = e.Response.Status
			b.mu.Unlock()
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	}
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// run runs browser steps and fails the test on error.
func (b *browser) run(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// waitFor waits until the page's js is true, through navigations (a form
// submit leaves the old page in place for a moment, and an evaluation
// during the switch fails): for a wait on the page a click leads to.
func (b *browser) waitFor(t *testing.T, js string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("browser: waiting for %s: %v", js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// get runs one browser action that returns a value.
func get[T any](t *testing.T, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// eval evaluates JavaScript in the page (awaiting a promise).
func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	return get(t, b, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// header returns a response header of the last load of path.
func (b *browser) header(path, name string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, v := range b.responses[path] {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// html returns the page's current HTML.
func (b *browser) html(t *testing.T) string {
	t.Helper()
	return get(t, b, chromedp.OuterHTML(chromedp.CSS("html")))
}

// text returns the page's visible text.
func (b *browser) text(t *testing.T) string {
	t.Helper()
	return get(t, b, chromedp.Text(chromedp.CSS("body")))
}

// totpSteps remembers each account's last used time step: a code is good
// once, so a second factor in the same 30 s waits for the next step.
var totpSteps = struct {
	sync.Mutex
	last map[string]int64
}{last: map[string]int64{}}

// freshCode returns a one-time code for the account that was not used yet.
func (ts *testServer) freshCode(t *testing.T, username string) string {
	t.Helper()
	secret := ts.logins[username].TOTPSecret
	if secret == "" {
		return ""
	}
	totpSteps.Lock()
	defer totpSteps.Unlock()
	key := ts.dbPath + "|" + username
	for {
		now := time.Now()
		if ts.Now != nil {
			now = ts.Now()
		}
		step := now.Unix() / 30
		if step > totpSteps.last[key] {
			totpSteps.last[key] = step
			code, err := auth.TOTPCode(secret, now)
			if err != nil {
				t.Fatal(err)
			}
			return code
		}
		time.Sleep(time.Unix((step+1)*30, 0).Sub(now) + 50*time.Millisecond)
	}
}

// signIn signs the account in through the sign-in form, with its
// password and a one-time code, and waits for the home page.
func (b *browser) signIn(t *testing.T, username string) {
	t.Helper()
	l := b.ts.logins[username]
	b.run(t,
		chromedp.Navigate(b.ts.URL()+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), l.Password),
		chromedp.SendKeys(chromedp.CSS("#totp"), b.ts.freshCode(t, username)),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#signout")),
	)
}

// signOut signs out and waits for the sign-in page.
func (b *browser) signOut(t *testing.T) {
	t.Helper()
	b.run(t, chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#login-form")))
}

// screenshot saves the viewport as NAME.png: in docs/console with
// YUNCANG_UPDATE_SCREENSHOTS=1, else in a temporary directory.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	png := get(t, b, chromedp.FullScreenshot(100))
	// The committed screenshots change only on request: a test run leaves
	// the tree as it found it.
	dir := t.TempDir()
	if os.Getenv("YUNCANG_UPDATE_SCREENSHOTS") != "" {
		dir = filepath.Join("..", "..", "docs", "console")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// cookies returns the browser's cookies for the server.
func (b *browser) cookies(t *testing.T) []*network.Cookie {
	t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.ts.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Cookies
}

// evalFetch runs fetch(path, init) in the page and returns status and body.
func (b *browser) evalFetch(t *testing.T, method, path, body string, headers map[string]string) (int, string) {
	t.Helper()
	type result struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	hs := "{"
	for k, v := range headers {
		hs += `"` + k + `":"` + v + `",`
	}
	hs = strings.TrimSuffix(hs, ",") + "}"
	js := `fetch(` + jsString(path) + `, {method: ` + jsString(method) + `, credentials: "same-origin", headers: ` + hs
	if body != "" {
		js += `, body: ` + jsString(body)
	}
	js += `}).then(async r => ({status: r.status, body: await r.text()}))`
	out := eval[result](t, b, js)
	return out.Status, out.Body
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// apiLogin logs the account in over the API with a fresh one-time code.
func (ts *testServer) apiLogin(t *testing.T, username string) string {
	t.Helper()
	var resp struct{ Token string }
	body, _ := json.Marshal(map[string]string{"username": username, "password": ts.logins[username].Password, "totp": ts.freshCode(t, username)})
	if code := ts.jsonCall(t, "POST", "/api/v1/login", "", string(body), &resp); code != 200 || resp.Token == "" {
		t.Fatalf("login %s: %d", username, code)
	}
	return resp.Token
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(t *testing.T, sel, want string) {
	t.Helper()
	js := `new Promise((ok, fail) => { const end = Date.now() + 120000; (function check() {
		const el = document.querySelector(` + jsString(sel) + `);
		if (el && el.textContent.includes(` + jsString(want) + `)) return ok(true);
		if (Date.now() > end) return fail(new Error("timed out waiting for text"));
		setTimeout(check, 100); })(); })`
	eval[bool](t, b, js)
}

// assertPrivatePage checks what every page with data must have: the CSP,
// no-store, the watermark layer, and none of the plaintext given.
func (b *browser) assertPrivatePage(t *testing.T, path string, plaintext ...string) {
	t.Helper()
	if csp := b.header(path, "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("%s: CSP %q", path, csp)
	}
	if cc := b.header(path, "Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q", path, cc)
	}
	html := b.html(t)
	if !strings.Contains(html, `class="watermark"`) {
		t.Errorf("%s: no watermark", path)
	}
	for _, p := range plaintext {
		if strings.Contains(html, p) {
			t.Errorf("%s shows plaintext %q", path, p)
		}
	}
}

// offsetClock is real time moved by an offset the test changes (the
// browser's own clock keeps running, so cookies and timers behave).
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// daytimeClock is a clock at the next 10:00 in Shanghai or later (the
// guard's night rules are not what a daytime journey tests), never behind
// real time (cookies expire by the browser's clock).
func daytimeClock() *offsetClock {
	cst := time.FixedZone("CST", 8*3600)
	now := time.Now().In(cst)
	ten := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, cst)
	if h := now.Hour(); h >= 10 && h < 17 {
		return &offsetClock{}
	}
	if !ten.After(now) {
		ten = ten.AddDate(0, 0, 1)
	}
	return &offsetClock{offset: ten.Sub(now)}
}
