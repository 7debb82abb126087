package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/orderfile"
	"github.com/yuncang/yuncang/pii"
)

func init() {
	register("import", "import a merchant's orders from a CSV or XLSX file", runImport)
}

func runImport(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("import", "import --tenant CODE [--all-or-nothing] FILE", s)
	c.bind(fs, false)
	tenant := fs.String("tenant", "", "merchant code the orders belong to (required)")
	atomic := fs.Bool("all-or-nothing", false, "store nothing unless every order is good")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *tenant == "" {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	db, t, err := openTenant(ctx, &c, *tenant)
	if err != nil {
		return err
	}
	defer db.Close()

	bar := newProgress(s.err, *quiet)
	br := bufio.NewReader(f)
	head, _ := br.Peek(512)
	format, err := orderfile.DetectFormat(filepath.Base(path), "", head)
	if err != nil {
		return errors.New(yuncang.ErrorMessage(err))
	}
	start := time.Now()
	orders, rowErrs, err := orderfile.Read(br, format, orderfile.Options{Progress: func(n int) { bar.show("reading", n, -1) }})
	if err != nil {
		bar.done()
		return errors.New(yuncang.ErrorMessage(err))
	}
	ev := yuncang.Event{Username: "cli", TenantID: t.ID, Kind: yuncang.EventOrderImport, Outcome: yuncang.OutcomeOK, Source: "cli",
		Detail: "yuncang import " + maskedName(filepath.Base(path))}
	rep, err := intake.Import(ctx, db, t.ID, orders, rowErrs, *atomic, ev, func(n, total int) { bar.show("storing", n, total) })
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "%s (%s, %d bytes) into %s in %s\n", filepath.Base(path), format, st.Size(), t.Code, time.Since(start).Round(time.Millisecond))
	if rep.Committed {
		fmt.Fprintf(s.out, "orders: %d  created: %d  existing: %d  rejected: %d\n", rep.Orders, rep.Created, len(rep.Existing), rep.Rejected)
	} else {
		fmt.Fprintf(s.out, "orders: %d  created: %d  existing: %d  rejected: %d  not committed: %d\n", rep.Orders, rep.Created, len(rep.Existing), rep.Rejected, rep.NotCommitted)
	}
	for i, is := range rep.Issues {
		if i == 50 {
			fmt.Fprintf(s.out, "  ... and %d more\n", len(rep.Issues)-50)
			break
		}
		where := fmt.Sprintf("row %d", is.Row)
		if is.MerchantOrderID != "" {
			where += " (" + is.MerchantOrderID + ")"
		}
		field := ""
		if is.Field != "" {
			field = is.Field + ": "
		}
		fmt.Fprintf(s.out, "  %s: %s%s\n", where, field, is.Message)
	}
	if !rep.Committed {
		return errors.New("nothing was stored (--all-or-nothing and some orders were rejected)")
	}
	if rep.Rejected > 0 {
		return fmt.Errorf("%s rejected", plural(rep.Rejected, "order"))
	}
	return nil
}

// progress draws a one-line progress bar on a terminal; on redirected
// output (a log file, CI) it writes one plain line per finished phase and no
// carriage-return frames.
type progress struct {
	w     io.Writer
	off   bool
	tty   bool
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	return &progress{w: w, off: quiet, tty: isTerminal(w)}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) show(phase string, n, total int) {
	if p.off {
		return
	}
	if !p.tty {
		if total > 0 && n == total {
			fmt.Fprintf(p.w, "%s %d/%d orders\n", phase, n, total)
		}
		return
	}
	if time.Since(p.last) < 100*time.Millisecond && (total < 0 || n < total) {
		return
	}
	p.last, p.drawn = time.Now(), true
	if total <= 0 {
		fmt.Fprintf(p.w, "\r%-8s %d rows", phase, n)
		return
	}
	const width = 30
	filled := width * n / total
	fmt.Fprintf(p.w, "\r%-8s [%s%s] %d/%d orders", phase, strings.Repeat("#", filled), strings.Repeat(".", width-filled), n, total)
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// maskedName hides phone and ID numbers in a file name before it is audited.
func maskedName(name string) string {
	m, _ := pii.MaskText(name)
	return m
}
