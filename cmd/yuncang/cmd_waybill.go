package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/label"
	"github.com/yuncang/yuncang/sqlstore"
)

func init() {
	register("waybill allocate", "take the next waybill numbers of a carrier (no reuse, no gaps)", runWaybillAllocate)
	register("waybill sweep", "erase the phones of virtual-number bindings past their validity", runWaybillSweep)
	register("label render", "render a sample privacy label (synthetic recipient) to a file", runLabelRender)
}

func runWaybillAllocate(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("waybill allocate", "waybill allocate --carrier ZTO [--count N]", s, true)
	fs := sc.fs
	code := fs.String("carrier", "", "carrier code (required)")
	count := fs.Int("count", 1, "how many numbers (1-10000)")
	return sc.run(ctx, args, sc.usageUnless(func() bool { return *code != "" }), func(db *sqlstore.DB) error {
		cr, err := carrierByCode(ctx, db, *code)
		if err != nil {
			return err
		}
		nums, err := db.AllocateWaybills(ctx, cr.ID, *count)
		if err != nil {
			return waybillCLIError(err)
		}
		fmt.Fprintln(s.out, strings.Join(nums, "\n"))
		return nil
	})
}

func runWaybillSweep(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("waybill sweep", "waybill sweep", s, true)
	return sc.run(ctx, args, nil, func(db *sqlstore.DB) error {
		n, err := db.ReleaseExpiredBindings(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%d bindings released\n", n)
		return nil
	})
}

// sampleLabel is a label for a synthetic order, masked by intake as a real
// one is; no database, no real person.
func sampleLabel(virtual bool) (label.Label, error) {
	p, err := intake.Prepare(1, yuncang.OrderInput{MerchantOrderID: "YWG-20261128-000123",
		Lines:     []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: 1}},
		Recipient: yuncang.Recipient{Name: "欧阳娜娜", Phone: "13812345678", Address: "浙江省金华市义乌市稠城街道工人北路1088号3单元502室"},
		Remarks:   "请放快递柜，到了打13812345678"})
	if err != nil {
		return label.Label{}, err
	}
	key := make([]byte, 32)
	rand.Read(key) // a sample's QR token verifies against nothing
	at := time.Now().In(time.FixedZone("CST", 8*3600))
	l := label.Label{
		Carrier:     label.Carrier{Name: "中通快递", Code: "ZTO"},
		Waybill:     "73902468013579",
		Sender:      label.Party{Name: "王小明", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"},
		Recipient:   p.Masked,
		Destination: p.Destination,
		WeightG:     1250,
		OrderRef:    p.MerchantOrderID,
		QRToken:     label.SignToken(key, "73902468013579", at),
		Remarks:     p.MaskedRemarks,
		Trace:       label.Trace{Operator: "op-1024", Station: "YW01-P03", Time: at},
	}
	if virtual {
		l.VirtualPhone = "17099990000转1234"
	}
	return l, nil
}

// labelFormat is the format of a rendered label: --format if given, else
// the file's extension (.pdf, .png, .zpl). A file named for one format is
// never written in another (v.png with --format pdf), and a file named for
// none (v.txt) needs --format.
func labelFormat(out, format string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))
	known := ext == "pdf" || ext == "png" || ext == "zpl"
	switch {
	case format != "" && format != "pdf" && format != "png" && format != "zpl":
		return "", fmt.Errorf("--format must be pdf, png or zpl")
	case format == "" && !known:
		return "", fmt.Errorf("--out %s: name the file .pdf, .png or .zpl, or give --format", out)
	case format == "":
		return ext, nil
	case known && ext != format:
		return "", fmt.Errorf("--out %s is named for %s but --format is %s: rename the file or drop --format", out, ext, format)
	}
	return format, nil
}

func runLabelRender(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("label render", "label render --out FILE [--format pdf|png|zpl] [--size 76x130|100x150] [--font PATH] [--virtual]", s)
	out := fs.String("out", "", "file to write (required)")
	format := fs.String("format", "", "pdf, png or zpl (default: from the file name, else pdf)")
	size := fs.String("size", "76x130", "76x130 or 100x150")
	font := fs.String("font", os.Getenv("YUNCANG_LABEL_FONT"), "CJK TrueType font (.ttf/.ttc) (YUNCANG_LABEL_FONT; default: the first installed of label.DefaultFontPaths)")
	virtual := fs.Bool("virtual", false, "print a virtual number (隐私号) instead of the masked phone")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(s.err, "--out is required")
		fs.Usage()
		return errUsage
	}
	f, err := labelFormat(*out, *format)
	if err != nil {
		return err
	}
	*format = f
	sz := label.Size76x130
	switch *size {
	case "76x130":
	case "100x150":
		sz = label.Size100x150
	default:
		return fmt.Errorf("--size must be 76x130 or 100x150")
	}
	r, err := label.New(label.Options{Size: sz, FontPath: *font})
	if err != nil {
		return err
	}
	l, err := sampleLabel(*virtual)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch *format {
	case "pdf":
		err = r.PDF(&buf, []label.Label{l})
	case "png":
		err = r.PNG(&buf, l)
	case "zpl":
		err = r.ZPL(&buf, []label.Label{l})
	default:
		return fmt.Errorf("--format must be pdf, png or zpl")
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "%s: %s %s label, %d bytes (synthetic recipient)\n", *out, *size, *format, buf.Len())
	return nil
}
