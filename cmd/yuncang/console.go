package main

import (
	"errors"
	"net/url"
	"os"
	"strings"

	"github.com/yuncang/yuncang/console"
)

// mountConsole serves the web console under / on the API server, behind
// its authorization.
func mountConsole(m *Main) error {
	rp, err := webauthnConfig()
	if err != nil {
		return err
	}
	_, err = console.Mount(console.Config{API: m.API, Sessions: m.Auth, Store: m.DB, Orders: m.API, Logger: m.Logger, Now: m.Auth.Now,
		IdleTimeout: m.Auth.Policy.IdleTimeout, Zone: m.Auth.Policy.ShiftZone, WebAuthn: rp})
	return err
}

// webauthnConfig reads the security keys' relying party:
// YUNCANG_WEBAUTHN_RPID (the console's domain) and YUNCANG_WEBAUTHN_ORIGINS
// (comma-separated origins the console is served from), both or neither;
// neither: the request's host, on loopback only (the demo).
func webauthnConfig() (console.RelyingParty, error) {
	rp := console.RelyingParty{ID: strings.TrimSpace(os.Getenv("YUNCANG_WEBAUTHN_RPID"))}
	for _, o := range strings.Split(os.Getenv("YUNCANG_WEBAUTHN_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" {
			return rp, errors.New("YUNCANG_WEBAUTHN_ORIGINS: each origin must be scheme://host[:port], e.g. https://console.example.com")
		}
		rp.Origins = append(rp.Origins, o)
	}
	if (rp.ID == "") != (len(rp.Origins) == 0) {
		return rp, errors.New("YUNCANG_WEBAUTHN_RPID and YUNCANG_WEBAUTHN_ORIGINS go together: set both or neither")
	}
	return rp, nil
}
