package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/sqlstore"
)

func init() {
	register("carrier keygen", "make a carrier's age X25519 key pair: private key to a file, public key (age1…) for carrier add", runCarrierKeygen)
	register("carrier add", "configure a carrier (prints its webhook secret once)", runCarrierAdd)
	register("carrier segment", "add a waybill number range a carrier handed out", runCarrierSegment)
	register("carrier link", "link a carrier machine account to its carrier", runCarrierLink)
	register("carrier numbers", "add virtual main numbers (one per line on stdin) to the pool", runCarrierNumbers)
	register("carrier list", "list carriers and their number ranges", runCarrierList)
}

// runCarrierKeygen makes the key pair handover manifests are encrypted to.
// It is the carrier's: run it on the carrier's side, keep the file there,
// and give only the printed public key to `carrier add --public-key` (or
// POST /api/v1/carriers). The file is in age-keygen's format, so the
// carrier decrypts a downloaded manifest with `age -d -i FILE`.
func runCarrierKeygen(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("carrier keygen --out FILE", "carrier keygen --out FILE\n\n"+
		"Run on the carrier's side. Writes the carrier's age X25519 private key (AGE-SECRET-KEY-1…, mode 0600,\n"+
		"age-keygen's format) to FILE and prints its public key (age1…), the --public-key of carrier add.", s)
	out := fs.String("out", "", "file to write the private key to (must not exist)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	pub := id.Recipient().String()
	content := fmt.Sprintf("# created: %s\n# public key: %s\n%s\n", time.Now().UTC().Format(time.RFC3339), pub, id)
	if err := writeKeyFile(*out, content); err != nil {
		return err
	}
	fmt.Fprintln(s.out, pub)
	return nil
}

func runCarrierAdd(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("carrier add", "carrier add --code ZTO --name 中通快递 --public-key age1… [--check-digit mod7] [--account USER]", s, true)
	fs := sc.fs
	var cr yuncang.Carrier
	fs.StringVar(&cr.Code, "code", "", "carrier code (required)")
	fs.StringVar(&cr.Name, "name", "", "carrier name, printed on labels (required)")
	fs.StringVar(&cr.PublicKey, "public-key", "", "the carrier's age X25519 recipient: manifests are encrypted to it (required)")
	fs.StringVar(&cr.CheckDigit, "check-digit", "none", "waybill check digit: "+strings.Join(yuncang.CheckSchemes, ", "))
	account := fs.String("account", "", "username of the carrier's machine account (role carrier)")
	fs.IntVar(&cr.MaxReprints, "max-reprints", yuncang.DefaultMaxReprints, "reprints allowed per label")
	fs.IntVar(&cr.ResolvePerHour, "resolve-per-hour", yuncang.DefaultResolvePerHour, "virtual-number resolves per hour")
	fs.IntVar(&cr.ResolvePerBinding, "resolve-per-binding", yuncang.DefaultResolvePerBinding, "resolves per binding")
	fs.IntVar(&cr.BindingDays, "binding-days", yuncang.DefaultBindingDays, "days a virtual number stays bound after delivery")
	return sc.run(ctx, args, func() error {
		if _, err := age.ParseX25519Recipient(cr.PublicKey); err != nil {
			return fmt.Errorf("--public-key is not an age X25519 recipient (age1…)")
		}
		return nil
	}, func(db *sqlstore.DB) error {
		if *account != "" {
			u, err := db.UserByUsername(ctx, *account)
			if err != nil {
				return fmt.Errorf("--account: %s", yuncang.ErrorMessage(err))
			}
			cr.UserID = u.ID
		}
		secret := make([]byte, 32)
		rand.Read(secret)
		if err := db.CreateCarrier(ctx, &cr, secret); err != nil {
			return waybillCLIError(err)
		}
		fmt.Fprintf(s.out, "carrier %s (%s) created, id %d\nwebhook secret (shown once; the carrier signs tracking events with it): %s\n",
			cr.Code, cr.Name, cr.ID, hex.EncodeToString(secret))
		return nil
	})
}

// carrierByCode looks up the carrier a --carrier flag names.
func carrierByCode(ctx context.Context, db *sqlstore.DB, code string) (*yuncang.Carrier, error) {
	cr, err := db.CarrierByCode(ctx, code)
	if err != nil {
		return nil, waybillCLIError(err)
	}
	return cr, nil
}

// waybillCLIError turns an application error into a message naming the field.
func waybillCLIError(err error) error {
	if f := yuncang.ErrorField(err); f != "" {
		return fmt.Errorf("%s: %s", f, yuncang.ErrorMessage(err))
	}
	if yuncang.ErrorCode(err) != yuncang.EINTERNAL {
		return fmt.Errorf("%s", yuncang.ErrorMessage(err))
	}
	return err
}

func runCarrierSegment(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("carrier segment", "carrier segment --carrier ZTO --first N --last N [--prefix P] [--width 10]", s, true)
	fs := sc.fs
	code := fs.String("carrier", "", "carrier code (required)")
	var seg yuncang.WaybillSegment
	fs.StringVar(&seg.Prefix, "prefix", "", "letters or digits before the serial")
	fs.IntVar(&seg.Width, "width", 10, "digits of the serial (zero-padded)")
	fs.Int64Var(&seg.First, "first", -1, "first serial of the range")
	fs.Int64Var(&seg.Last, "last", -1, "last serial of the range")
	return sc.run(ctx, args, sc.usageUnless(func() bool { return *code != "" && seg.First >= 0 && seg.Last >= 0 }), func(db *sqlstore.DB) error {
		cr, err := carrierByCode(ctx, db, *code)
		if err != nil {
			return err
		}
		seg.CarrierID = cr.ID
		if err := db.AddWaybillSegment(ctx, &seg); err != nil {
			return waybillCLIError(err)
		}
		fmt.Fprintf(s.out, "range %d added: %s … %s (%d numbers)\n", seg.ID, yuncang.WaybillNumber(seg.Prefix, seg.Width, seg.First, cr.CheckDigit),
			yuncang.WaybillNumber(seg.Prefix, seg.Width, seg.Last, cr.CheckDigit), seg.Last-seg.First+1)
		return nil
	})
}

func runCarrierLink(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("carrier link", "carrier link --carrier ZTO --account USER", s, true)
	fs := sc.fs
	code := fs.String("carrier", "", "carrier code (required)")
	account := fs.String("account", "", "carrier account username (required)")
	return sc.run(ctx, args, sc.usageUnless(func() bool { return *code != "" && *account != "" }), func(db *sqlstore.DB) error {
		cr, err := carrierByCode(ctx, db, *code)
		if err != nil {
			return err
		}
		u, err := db.UserByUsername(ctx, *account)
		if err != nil {
			return waybillCLIError(err)
		}
		if err := db.LinkCarrierAccount(ctx, cr.ID, u.ID); err != nil {
			return waybillCLIError(err)
		}
		fmt.Fprintf(s.out, "account %s now acts for carrier %s\n", u.Username, cr.Code)
		return nil
	})
}

func runCarrierNumbers(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("carrier numbers", "carrier numbers < numbers.txt  (11-digit main numbers, one per line)", s, true)
	var nums []string
	return sc.run(ctx, args, func() error {
		in := bufio.NewScanner(s.in)
		for in.Scan() {
			if l := strings.TrimSpace(in.Text()); l != "" && !strings.HasPrefix(l, "#") {
				nums = append(nums, l)
			}
		}
		if err := in.Err(); err != nil {
			return err
		}
		if len(nums) == 0 {
			return fmt.Errorf("no numbers on standard input")
		}
		return nil
	}, func(db *sqlstore.DB) error {
		n, err := db.AddVirtualNumbers(ctx, nums)
		if err != nil {
			return waybillCLIError(err)
		}
		fmt.Fprintf(s.out, "%d main numbers added (%d already in the pool), %d extensions each\n", n, len(nums)-n, 10000)
		return nil
	})
}

func runCarrierList(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("carrier list", "carrier list", s, true)
	return sc.run(ctx, args, nil, func(db *sqlstore.DB) error {
		cs, err := db.Carriers(ctx)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			fmt.Fprintln(s.out, "no carriers")
		}
		for _, cr := range cs {
			fmt.Fprintf(s.out, "%s\t%s\tcheck=%s linked=%v reprints=%d resolves/h=%d resolves/binding=%d binding-days=%d\n", cr.Code, cr.Name,
				cr.CheckDigit, cr.UserID != 0, cr.MaxReprints, cr.ResolvePerHour, cr.ResolvePerBinding, cr.BindingDays)
			segs, err := db.WaybillSegments(ctx, cr.ID)
			if err != nil {
				return err
			}
			for _, sg := range segs {
				fmt.Fprintf(s.out, "\trange %d: prefix %q serials %d-%d, next %d, %d left\n", sg.ID, sg.Prefix, sg.First, sg.Last, sg.Next, sg.Last-sg.Next+1)
			}
		}
		return nil
	})
}
