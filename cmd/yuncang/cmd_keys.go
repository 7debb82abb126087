package main

import (
	"context"
	"fmt"
)

func init() {
	register("keys rotate", "rewrap tenant keys under the active master key; optionally new data keys", runKeysRotate)
}

func runKeysRotate(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("keys rotate", "keys rotate [--data-keys]\n\n"+
		"Put the new master key first in YUNCANG_MASTER_KEY (new:KEY,old:KEY) and run this;\n"+
		"servers keep serving throughout. Then drop the old key from the ring.", s)
	c.bind(fs, false)
	dataKeys := fs.Bool("data-keys", false, "also start a new data-key version for every tenant (new writes use it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, master, err := openConfigured(ctx, &c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Vault().RewrapAll(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "rewrapped %d tenant keys under master key %q\n", n, master.ActiveID())
	if *dataKeys {
		ts, err := db.Tenants(ctx)
		if err != nil {
			return err
		}
		for _, t := range ts {
			v, err := db.Vault().RotateDataKey(ctx, t.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(s.out, "tenant %s: data key version %d\n", t.Code, v)
		}
	}
	return nil
}
