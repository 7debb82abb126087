package main

import (
	"context"
	"flag"

	"github.com/yuncang/yuncang/sqlstore"
)

// storeCmd is the preamble the commands that work on the configured
// database share: a flag set carrying the configuration's flags, to which
// the command adds its own, parsed without positional arguments, and the
// store opened for the command's body and closed after it.
type storeCmd struct {
	Config
	fs   *flag.FlagSet
	keys bool // open with the master key ring (commands that touch sealed data)
}

// newStoreCmd starts a store command; keys opens the store with the master
// key ring, as openConfigured does (without it, as openStore with none).
func newStoreCmd(name, synopsis string, s stdio, keys bool) *storeCmd {
	sc := &storeCmd{fs: newFlagSet(name, synopsis, s), keys: keys}
	sc.bind(sc.fs, false)
	return sc
}

// usageUnless is a check that shows the usage and refuses the command
// unless ok holds once the flags are parsed (required flags given).
func (sc *storeCmd) usageUnless(ok func() bool) func() error {
	return func() error {
		if !ok() {
			sc.fs.Usage()
			return errUsage
		}
		return nil
	}
}

// run parses args (flags only), runs check (nil: none) before anything is
// opened, so that a usage error never touches the database, then opens the
// store, runs body with it and closes it.
func (sc *storeCmd) run(ctx context.Context, args []string, check func() error, body func(db *sqlstore.DB) error) error {
	if err := parseNoArgs(sc.fs, args); err != nil {
		return err
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	var db *sqlstore.DB
	var err error
	if sc.keys {
		db, _, err = openConfigured(ctx, &sc.Config, false)
	} else {
		db, err = openStore(ctx, &sc.Config, nil, false)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return body(db)
}
