package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang"
)

// TestConsoleWebauthnJourney: with Chrome's virtual authenticator (CTAP2
// over USB, user verification, the key press simulated), customer service
// signs in with TOTP, steps up with a code, registers a security key, signs
// out, signs in with password and the key (no code), steps up with the key,
// and removes it; answers to no or another challenge are refused; the
// audit log has the registration and the removal. WebAuthn needs a domain
// (browsers refuse an IP address as RP ID): the browser uses localhost.
func TestConsoleWebauthnJourney(t *testing.T) {
	clk := daytimeClock()
	ts := startServerWith(t, 5, clk.Now)
	b := newBrowser(t, ts, 1280, 900)
	base := strings.Replace(ts.URL(), "127.0.0.1", "localhost", 1)
	if _, err := chromedp.Call(b.ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("enable webauthn: %v", err)
	}
	va, err := chromedp.Call(b.ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
		Protocol: webauthn.AuthenticatorProtocolCtap2, Transport: webauthn.AuthenticatorTransportUsb,
		HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true}})
	if err != nil {
		t.Fatalf("add virtual authenticator: %v", err)
	}
	const user = "cs1"
	password := ts.logins[user].Password
	jsonHeaders := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}

	// Sign in with password and TOTP.
	b.run(t, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.SendKeys(chromedp.CSS("#totp"), ts.freshCode(t, user)), chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#signout")))
	b.run(t, chromedp.Navigate(base+"/security-keys"), chromedp.WaitVisible(chromedp.CSS("#keys-none")))
	b.assertPrivatePage(t, "/security-keys")

	// Registering needs a fresh step-up: the sign-in's is stale now.
	clk.Advance(6 * time.Minute)
	b.run(t, chromedp.Click(chromedp.CSS("#add-key")), chromedp.WaitVisible(chromedp.CSS("#step-up-form")))
	if n := eval[int](t, b, `document.querySelectorAll("#step-up-key").length`); n != 0 {
		t.Error("the step-up prompt offers a security key the account does not have")
	}
	b.run(t, chromedp.SendKeys(chromedp.CSS("#step-up-totp"), ts.freshCode(t, user)), chromedp.Click(chromedp.CSS("#step-up-submit")),
		chromedp.WaitVisible(chromedp.CSS("#key-register-form")))
	b.screenshot(t, "webauthn-register")
	b.run(t, chromedp.SendKeys(chromedp.CSS("#key-label"), "YubiKey 5 NFC"), chromedp.Click(chromedp.CSS("#key-register")),
		chromedp.WaitVisible(chromedp.CSS("#keys-table")))
	b.waitText(t, "#keys-table", "YubiKey 5 NFC")
	b.screenshot(t, "webauthn-keys")
	creds, err := chromedp.Call(b.ctx, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: va.AuthenticatorID})
	if err != nil || len(creds.Credentials) != 1 {
		t.Fatalf("the virtual authenticator holds %v credentials (%v), want 1", creds, err)
	}

	// Refused: a registration answering no challenge, and one answering a
	// challenge the page made up (the server's was another).
	csrf := eval[string](t, b, `document.querySelector("input[name=csrf_token]").value`)
	if st, _ := b.evalFetch(t, "POST", "/security-keys", "csrf_token="+csrf+"&label=forged&key_response=%7B%7D", jsonHeaders); st != 400 {
		t.Errorf("registration without a ceremony: %d, want 400", st)
	}
	st := eval[int](t, b, `(async () => {
		const h = {"X-CSRF-Token": `+jsString(csrf)+`, "Accept": "application/json"};
		const o = await (await fetch("/security-keys/new", {method: "POST", credentials: "same-origin", headers: h})).json();
		const pk = o.publicKey;
		pk.challenge = crypto.getRandomValues(new Uint8Array(32));
		pk.user.id = new TextEncoder().encode("x");
		delete pk.excludeCredentials;
		const c = await navigator.credentials.create({publicKey: pk});
		const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
		const resp = JSON.stringify({id: c.id, rawId: b64(c.rawId), type: c.type,
			response: {clientDataJSON: b64(c.response.clientDataJSON), attestationObject: b64(c.response.attestationObject)}});
		const body = new URLSearchParams({csrf_token: `+jsString(csrf)+`, label: "forged", key_response: resp});
		return (await fetch("/security-keys", {method: "POST", credentials: "same-origin", headers: {"Accept": "application/json"}, body})).status;
	})()`)
	if st != 400 {
		t.Errorf("registration answering another challenge: %d, want 400", st)
	}
	ctx := context.Background()
	u, err := ts.DB.UserByUsername(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	if keys, err := ts.DB.SecurityKeys(ctx, u.ID); err != nil || len(keys) != 1 {
		t.Fatalf("keys after the refused registrations: %d, %v; want 1", len(keys), err)
	}
	b.run(t, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#signout")))
	b.run(t, chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#login-form")))

	// Sign in with password and the key, no code. A made-up answer first.
	b.run(t, chromedp.SendKeys(chromedp.CSS("#username"), user), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login-submit")), chromedp.WaitVisible(chromedp.CSS("#login-key")))
	b.run(t, chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.screenshot(t, "webauthn-login")
	eval[bool](t, b, `document.getElementById("login-key-response").value = JSON.stringify({id: "AAAA", rawId: "AAAA", type: "public-key",
		response: {clientDataJSON: "e30", authenticatorData: "AAAA", signature: "AAAA"}}); document.getElementById("login-form").submit(); true`)
	b.waitFor(t, `document.querySelector("#login-form") !== null && document.querySelector("#login-key") === null`) // refused: back to the plain form
	for _, c := range b.cookies(t) {
		if c.Name == "yc_session" && c.Value != "" {
			t.Fatal("a made-up key answer opened a session")
		}
	}
	b.run(t, chromedp.SendKeys(chromedp.CSS("#password"), password), chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#login-key")), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login-key")), chromedp.WaitVisible(chromedp.CSS("#signout")))

	// Step up with the key once the sign-in's factor is stale; a made-up
	// answer (no challenge was begun) is refused first.
	clk.Advance(6 * time.Minute)
	csrf = eval[string](t, b, `document.querySelector("input[name=csrf_token]").value`)
	if st, _ := b.evalFetch(t, "POST", "/step-up", "csrf_token="+csrf+"&next=%2F&key_response=%7B%22id%22%3A%22AAAA%22%7D", jsonHeaders); st == 200 || st == 303 {
		t.Errorf("step-up with a made-up key answer: %d, want refused", st)
	}
	b.run(t, chromedp.Navigate(base+"/security-keys/new"), chromedp.WaitVisible(chromedp.CSS("#step-up-key")))
	b.screenshot(t, "webauthn-step-up")
	b.run(t, chromedp.Click(chromedp.CSS("#step-up-key")), chromedp.WaitVisible(chromedp.CSS("#key-register-form")))
	steps, err := ts.DB.Events(ctx, yuncang.EventFilter{UserID: u.ID, Kind: yuncang.EventStepUp})
	if err != nil || len(steps) != 2 {
		t.Errorf("step-up events: %d, %v; want 2 (the code's and the key's)", len(steps), err)
	}

	// Remove the key.
	b.run(t, chromedp.Navigate(base+"/security-keys"), chromedp.WaitVisible(chromedp.CSS("#keys-table")),
		chromedp.Click(chromedp.CSS("form.key-remove button")), chromedp.WaitVisible(chromedp.CSS("#keys-none")))
	for _, kind := range []string{yuncang.EventSecurityKeyAdd, yuncang.EventSecurityKeyRemove} {
		evs, err := ts.DB.Events(ctx, yuncang.EventFilter{UserID: u.ID, Kind: kind})
		if err != nil || len(evs) != 1 {
			t.Errorf("%s events: %d, %v; want 1", kind, len(evs), err)
		}
	}
	b.signOut(t)
}
