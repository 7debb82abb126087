package main

import (
	"context"
	"fmt"
)

func init() {
	register("serve", "run the API server", runServe)
	register("migrate", "apply pending database migrations", runMigrate)
	register("version", "print the version", runVersion)
}

func runServe(ctx context.Context, args []string, s stdio) error {
	var m Main
	fs := newFlagSet("serve", "serve [flags]", s)
	m.Config.bind(fs, true)
	if err := fs.Parse(args); err != nil {
		return err
	}
	m.Logger = newLogger(s.err, m.Config.LogLevel)
	if err := m.Open(ctx); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "yuncang %s serving on %s\n", version, m.URL())
	err := m.Wait(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		fmt.Fprintf(s.out, "yuncang stopped (%s)\n", stopReason(ctx))
	}
	return err
}

// stopReason says why a server stopped: the signal that stopped it
// ("interrupt signal received") or its context's end.
func stopReason(ctx context.Context) string {
	if err := context.Cause(ctx); err != nil {
		return err.Error()
	}
	return "its listener closed"
}

func runMigrate(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("migrate", "migrate [flags]", s)
	c.bind(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, _, err := openConfigured(ctx, &c, true)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "database schema is at version %d (%s)\n", v, db.Dialect())
	return nil
}

func runVersion(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("version", "version", s)
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "yuncang %s\n", version)
	return nil
}
