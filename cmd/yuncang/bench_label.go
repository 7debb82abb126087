package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/label"
)

func init() { registerBench("label", 40, benchLabel) }

// benchLabel measures waybill rendering: a 1,000-label PDF batch (gate,
// masking, Code 128, QR, embedded CJK font subset) against the same pages
// with the same text in a core font and nothing else, and ZPL batches
// against plain ZPL text fields of the same strings.
func benchLabel(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	const batch = 1000
	labels, err := benchLabels(batch)
	if err != nil {
		return nil, err
	}
	r, err := label.New(label.Options{Size: label.Size100x150})
	if err != nil {
		return nil, err
	}
	var out []BenchResult

	// PDF. The font is read once, outside the clock, as a server would.
	if _, err := r.FontPath(); errors.Is(err, label.ErrNoFont) {
		out = append(out, BenchResult{Name: "label_pdf_per_s", Unit: "labels/s", Target: ">= 1000/s absolute",
			Note: "skipped: " + err.Error()})
	} else if err != nil {
		return nil, err
	} else {
		best, base := 0.0, 0.0
		for range o.rounds {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			start := time.Now()
			if err := r.PDF(io.Discard, labels); err != nil {
				return nil, err
			}
			best = max(best, batch/time.Since(start).Seconds())
			start = time.Now()
			if err := plainPDF(io.Discard, labels); err != nil {
				return nil, err
			}
			base = max(base, batch/time.Since(start).Seconds())
		}
		out = append(out, BenchResult{Name: "label_pdf_per_s", Value: best, Unit: "labels/s", Baseline: base, Ratio: best / base,
			Target: ">= 1000/s absolute",
			Note:   fmt.Sprintf("%d-label 100x150 PDF batch, best of %d; baseline: same pages and text in a core font, no barcode, QR, gate or font subset", batch, o.rounds)})
	}

	// ZPL: ten batches a round, since one takes only milliseconds.
	const zplBatches = 10
	best, base := 0.0, 0.0
	for range o.rounds {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		for range zplBatches {
			if err := r.ZPL(io.Discard, labels); err != nil {
				return nil, err
			}
		}
		best = max(best, zplBatches*batch/time.Since(start).Seconds())
		start = time.Now()
		for range zplBatches {
			plainZPL(io.Discard, labels)
		}
		base = max(base, zplBatches*batch/time.Since(start).Seconds())
	}
	out = append(out, BenchResult{Name: "label_zpl_per_s", Value: best, Unit: "labels/s", Baseline: base, Ratio: best / base,
		Target: ">= 50000/s",
		Note:   fmt.Sprintf("%d batches of %d labels, best of %d; yuncang uses every core, the baseline (plain ^FD text fields of the same strings, no gate, barcode or QR) one", zplBatches, batch, o.rounds)})
	return out, nil
}

// benchLabels makes labels for synthetic orders, masked by intake as real
// orders are.
func benchLabels(n int) ([]label.Label, error) {
	g := demodata.NewGenerator(5)
	merchant := demodata.Merchants()[0].Code
	key := []byte("bench-label-token-key-0123456789")
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	out := make([]label.Label, n)
	for i := range out {
		p, err := intake.Prepare(1, g.Order(merchant))
		if err != nil {
			return nil, err
		}
		waybill := "7390" + strconv.Itoa(24680000000+i)
		out[i] = label.Label{
			Carrier:     label.Carrier{Name: "中通快递", Code: "ZTO"},
			Waybill:     waybill,
			Sender:      label.Party{Name: "义乌优品小商品", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"},
			Recipient:   p.Masked,
			Destination: p.Destination,
			WeightG:     300 + i%2000,
			OrderRef:    p.MerchantOrderID,
			QRToken:     label.SignToken(key, waybill, at),
			Remarks:     p.MaskedRemarks,
			Trace:       label.Trace{Operator: "op-1024", Station: "YW01-P03", Time: at},
		}
	}
	return out, nil
}

// pageText is the text a label page shows, for the baselines.
func pageText(l *label.Label) []string {
	d := l.Destination
	return []string{
		l.Carrier.Name + " " + l.Carrier.Code, "隐私面单", d.Province + "-" + d.City + "-" + d.District, d.DistrictCode,
		l.Waybill, l.Recipient.Name + " " + l.Recipient.Phone, l.Recipient.Address,
		l.Sender.Name + " " + l.Sender.Phone, l.Sender.Address,
		"订单 " + l.OrderRef, "重量 " + strconv.Itoa(l.WeightG) + " g", "备注 " + l.Remarks, "扫码验真",
		"打印 " + l.Trace.Operator + " " + l.Trace.Station + " " + l.Trace.Time.Format("2006-01-02 15:04"),
	}
}

// plainPDF writes one page per label with its text in Helvetica: no font
// to embed, no symbols, no checks (Chinese shows as mojibake, which a
// baseline can afford).
func plainPDF(w io.Writer, labels []label.Label) error {
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 100, Ht: 150}})
	pdf.SetCompression(false)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetFont("Helvetica", "", 10)
	for i := range labels {
		pdf.AddPage()
		for j, s := range pageText(&labels[i]) {
			pdf.Text(3, 8+float64(j)*10, s)
		}
	}
	return pdf.Output(w)
}

// plainZPL writes the same strings as ZPL text fields in a resident font.
func plainZPL(w io.Writer, labels []label.Label) {
	buf := make([]byte, 0, len(labels)*1200)
	for i := range labels {
		buf = append(buf, "^XA^CI28\n"...)
		for j, s := range pageText(&labels[i]) {
			buf = append(buf, "^FO20,"...)
			buf = strconv.AppendInt(buf, int64(20+j*70), 10)
			buf = append(buf, "^A0N,30,30^FD"...)
			buf = append(buf, s...)
			buf = append(buf, "^FS\n"...)
		}
		buf = append(buf, "^XZ\n"...)
	}
	w.Write(buf)
}
