package main

import (
	"github.com/yuncang/yuncang/console"
)

// mountConsole serves the web console under / on the API server, behind
// its authorization.
func mountConsole(m *Main) error {
	_, err := console.Mount(console.Config{API: m.API, Sessions: m.Auth, Store: m.DB, Orders: m.API, Logger: m.Logger, Now: m.Auth.Now,
		IdleTimeout: m.Auth.Policy.IdleTimeout, Zone: m.Auth.Policy.ShiftZone})
	return err
}
