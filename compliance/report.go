package compliance

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Report is a special inspection as its PDF shows it.
type Report struct {
	RunAt      time.Time
	Officer    string // the security officer's account that ran it
	System     string // which installation (e.g. the audit log's origin)
	Checks     []Check
	Ledger     *Ledger
	Checkpoint []byte // the covering audit checkpoint, a signed note
}

// RenderPDF draws the report on A4 pages with the CJK font (TrueType bytes,
// see label.ReportFont). The same report gives the same bytes.
func RenderPDF(r *Report, font []byte) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(r.RunAt)
	pdf.SetModificationDate(r.RunAt)
	pdf.SetProducer("yuncang inspection", false)
	pdf.SetTitle("专项检查报告 Special inspection report", true)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AddUTF8FontFromBytes("cjk", "", font)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-10)
		pdf.SetFont("cjk", "", 7)
		pdf.CellFormat(0, 4, fmt.Sprintf("yuncang 专项检查 %s — page %d", r.RunAt.UTC().Format(time.RFC3339), pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	w := 180.0
	text := func(size float64, h float64, s string) {
		pdf.SetFont("cjk", "", size)
		pdf.MultiCell(w, h, s, "", "L", false)
	}
	text(16, 8, "专项检查报告  Special inspection report")
	pass, fail, warn := Tally(r.Checks)
	text(10, 5, fmt.Sprintf("检查时间 Run at: %s\n安全员 Security officer: %s\n系统 System: %s\n结果 Results: pass %d, fail %d, warn %d",
		r.RunAt.UTC().Format(time.RFC3339), r.Officer, r.System, pass, fail, warn))
	pdf.Ln(3)
	text(12, 6, "检查项 Controls")
	for _, c := range r.Checks {
		pdf.SetFont("cjk", "", 9)
		switch c.Result {
		case Fail:
			pdf.SetFillColor(255, 215, 215)
		case Warn:
			pdf.SetFillColor(255, 240, 200)
		default:
			pdf.SetFillColor(220, 245, 220)
		}
		pdf.MultiCell(w, 5, fmt.Sprintf("%s  %s  %s / %s", c.ID, strings.ToUpper(c.Result), c.Title, c.TitleEn), "", "L", true)
		pdf.SetFont("cjk", "", 8)
		pdf.SetX(20)
		pdf.MultiCell(w-5, 4, "evidence: "+c.Evidence, "", "L", false)
		pdf.Ln(1)
	}
	if l := r.Ledger; l != nil {
		pdf.Ln(2)
		text(12, 6, "台账摘要 Ledger summary")
		text(8, 4, strings.Join(ledgerLines(l), "\n"))
	}
	pdf.Ln(2)
	text(12, 6, "覆盖的审计检查点 Covering audit checkpoint")
	cp := string(r.Checkpoint)
	if cp == "" {
		cp = "(none)"
	}
	text(8, 4, cp)
	pdf.Ln(2)
	text(8, 4, "本报告附有分离签名（.sig，签名笔记），签名覆盖本PDF的SHA-256及上述检查点。验证: yuncang inspection verify REPORT.pdf REPORT.pdf.sig\n"+
		"A detached signature (.sig, a signed note) covers this PDF's SHA-256 and the checkpoint above. Verify: yuncang inspection verify REPORT.pdf REPORT.pdf.sig")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("compliance: rendering the report: %w", err)
	}
	return buf.Bytes(), nil
}

// ledgerLines are the ledger's headline figures, one per line.
func ledgerLines(l *Ledger) []string {
	return []string{
		fmt.Sprintf("window: %s .. %s", l.Since.UTC().Format("2006-01-02"), l.GeneratedAt.UTC().Format("2006-01-02 15:04")),
		fmt.Sprintf("active accounts %d; without second factor %d; past review %d; temporary %d; departed with live access %d",
			l.ActiveAccounts, len(l.WithoutSecondFactor), len(l.PastReview), len(l.Temporary), len(l.DepartedLive)),
		fmt.Sprintf("active devices: %s; stale gateways %d", mapText(l.DevicesByKind), len(l.StaleGateways)),
		fmt.Sprintf("quota raises %d; four-eyes approvals: %s", len(l.QuotaRaises), mapText(l.Approvals)),
		fmt.Sprintf("alerts open %d (high %d), closed %d", l.AlertsOpen, len(l.OpenHigh), l.AlertsClosed),
		fmt.Sprintf("reveals by purpose: %s; refused %d; reprints %d; erasures %d", mapText(l.RevealsByPurpose), l.RevealsDenied, l.Reprints, l.Erasures),
		fmt.Sprintf("training records %d; revealing accounts untrained %d; expiring within 30 days %d", len(l.Training), len(l.UntrainedReveal), len(l.ExpiringSoon)),
		fmt.Sprintf("incidents %d; audit records %d; checkpoint size %d", l.Incidents, l.AuditSize, l.CheckpointSize),
	}
}
