package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/agent"
	"github.com/yuncang/yuncang/agent/printertest"
	"github.com/yuncang/yuncang/devicekey"
	"github.com/yuncang/yuncang/httpapi"
)

// printPlaintext is what the matrix fixture's orders hold and no printer,
// station answer or log may show.
var printPlaintext = []string{"欧阳娜娜", "娜娜", "1088号", "3单元", "502室"}

// runningGateway enrols a print gateway in YW1 and returns it as the agent
// would run it against ts, its sealing key registered.
func (m *matrixFixture) runningGateway(t *testing.T, ts *httptest.Server) (int64, string, *agent.Gateway) {
	t.Helper()
	gwID, gwCode := m.gateway(t, "YW1")
	id, err := age.GenerateX25519Identity()
	must(t, err)
	gw := &agent.Gateway{Server: ts.URL, Identity: id, Signer: m.signers[gwCode], Wait: time.Second}
	must(t, gw.Register(context.Background()))
	return gwID, gwCode, gw
}

// TestPrintThroughGateway: a station asks for labels on three printers
// (ZPL, TSPL, raster TSPL); the jobs are sealed to the gateway's key; the
// real gateway loop pulls them over HTTP, opens them and sends them to fake
// printers on 127.0.0.1, which take them apart as printers would; the
// outcome, with the hash of the bytes, lands in the audit log. The station
// never receives label bytes. Then the gateway is revoked: it gets nothing
// more, and new jobs for its printers are refused.
func TestPrintThroughGateway(t *testing.T) {
	m := newMatrixFixture(t, nil)
	ts := httptest.NewServer(m.srv)
	defer ts.Close()

	gwID, gwCode, gw := m.runningGateway(t, ts)

	langs := []string{yuncang.PrintZPL, yuncang.PrintTSPL, yuncang.PrintTSPLRaster}
	printers := map[string]*printertest.Printer{}
	printerIDs := map[string]int64{}
	for _, lang := range langs {
		p, err := printertest.Start()
		must(t, err)
		defer p.Close()
		printers[lang] = p
		var pj httpapi.PrinterJSON
		m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/printers", "warehouse_supervisor",
			fmt.Sprintf(`{"name":"P-%s","language":%q,"addr":%q,"gateway_id":%d}`, strings.ToUpper(strings.ReplaceAll(lang, "-", "")), lang, p.Addr(), gwID), &pj)
		printerIDs[lang] = pj.ID
	}

	station := []string{"X-Yuncang-Device", m.devices["YW1-DESK"]}
	jobs := map[string]int64{}
	waybills := map[string]string{}
	for _, lang := range langs {
		sh := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, false)
		waybills[lang] = sh.Waybill
		rec := m.do(t, "POST", "/api/v1/warehouses/YW1/print-jobs", m.tokens["operator"], fmt.Sprintf(`{"printer_id":%d,"shipment_ids":[%d]}`, printerIDs[lang], sh.ID), station...)
		if rec.Code != http.StatusAccepted {
			t.Fatalf("submit %s: %d %s", lang, rec.Code, rec.Body)
		}
		body := rec.Body.String()
		for _, bad := range append([]string{"^XA", "SIZE ", "BITMAP", "age-encryption", sh.Waybill + "^"}, printPlaintext...) {
			if strings.Contains(body, bad) {
				t.Fatalf("the station's answer carries label data (%q): %s", bad, body)
			}
		}
		var j httpapi.PrintJobJSON
		must(t, json.Unmarshal(rec.Body.Bytes(), &j))
		if j.Status != yuncang.JobQueued {
			t.Fatalf("new job is %s", j.Status)
		}
		jobs[lang] = j.ID
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx) }()
	got := map[string][]byte{}
	for _, lang := range langs {
		js := printers[lang].Wait(1, 20*time.Second)
		if len(js) != 1 {
			t.Fatalf("printer %s received %d jobs", lang, len(js))
		}
		got[lang] = js[0].Data
	}

	// What reached each printer: the masked label, in the printer's language.
	for _, lang := range []string{yuncang.PrintZPL, yuncang.PrintTSPL} {
		parse := printertest.ParseTSPL
		if lang == yuncang.PrintZPL {
			parse = printertest.ParseZPL
		}
		ls, err := parse(got[lang])
		if err != nil {
			t.Fatalf("%s job does not parse: %v", lang, err)
		}
		if len(ls) != 1 || len(ls[0].Barcodes) != 1 || ls[0].Barcodes[0] != waybills[lang] || len(ls[0].QRCodes) != 1 {
			t.Fatalf("%s label: %+v", lang, ls)
		}
		if !strings.Contains(ls[0].All(), "欧阳**") {
			t.Errorf("%s label lacks the masked name: %q", lang, ls[0].Texts)
		}
		for _, bad := range printPlaintext {
			if strings.Contains(strings.Join(ls[0].Texts, "\n"), bad) {
				t.Errorf("%s label prints %q", lang, bad)
			}
		}
	}
	raster, err := printertest.ParseTSPL(got[yuncang.PrintTSPLRaster])
	if err != nil || len(raster) != 1 || raster[0].Image == nil || len(raster[0].Texts) != 0 {
		t.Fatalf("raster job: %v %+v", err, raster)
	}
	if zbar, err := exec.LookPath("zbarimg"); err == nil {
		file := filepath.Join(t.TempDir(), "raster.png")
		f, err := os.Create(file)
		must(t, err)
		must(t, png.Encode(f, raster[0].Image))
		f.Close()
		out, err := exec.Command(zbar, "--quiet", file).Output()
		if err != nil || !strings.Contains(string(out), "CODE-128:"+waybills[yuncang.PrintTSPLRaster]) {
			t.Errorf("zbarimg on the raster job: %v %s", err, out)
		}
	}

	// Each job is printed, with the hash of exactly the bytes the printer got.
	for _, lang := range langs {
		sum := sha256.Sum256(got[lang])
		want := hex.EncodeToString(sum[:])
		var j httpapi.PrintJobJSON
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			rec := m.do(t, "GET", fmt.Sprintf("/api/v1/warehouses/YW1/print-jobs/%d", jobs[lang]), m.tokens["operator"], "")
			must(t, json.Unmarshal(rec.Body.Bytes(), &j))
			if j.Status == yuncang.JobPrinted {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if j.Status != yuncang.JobPrinted || j.Digest != want {
			t.Fatalf("%s job: status %s digest %s, want printed %s", lang, j.Status, j.Digest, want)
		}
		evs, err := m.db.Events(context.Background(), yuncang.EventFilter{Kind: yuncang.EventPrintDelivered, Target: fmt.Sprintf("print_job:%d", jobs[lang])})
		must(t, err)
		if len(evs) != 1 || evs[0].Detail != "sha256:"+want || evs[0].DeviceID != gwID {
			t.Fatalf("%s delivery audit: %+v", lang, evs)
		}
	}
	// The sealed payloads are erased once printed.
	for _, lang := range langs {
		if j, err := m.db.PrintJob(context.Background(), m.yw.ID, jobs[lang]); err != nil || j.Payload != nil {
			t.Fatalf("%s job payload kept after printing: %v", lang, err)
		}
	}
	cancel()
	<-done

	// Another machine with the gateway's id but not its key gets nothing.
	_, forged, _ := devicekey.Generate()
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/gateway/jobs", nil)
	(&devicekey.Signer{DeviceID: gwID, Key: forged, Now: m.clock.Now}).Sign(req, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("pull with a forged key: %v %d", err, resp.StatusCode)
	}
	// A pack station's key does not make it a gateway.
	rec := m.do(t, "GET", "/api/v1/gateway/jobs", "", "", station...)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("pull as a pack station: %d %s", rec.Code, rec.Body)
	}

	// Revoked: the gateway is refused at once and no job is queued for it.
	if rec := m.do(t, "POST", fmt.Sprintf("/api/v1/devices/%d/revoke", gwID), m.tokens["platform_admin"], `{"reason":"box replaced"}`); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke gateway: %d %s", rec.Code, rec.Body)
	}
	rec = m.do(t, "GET", "/api/v1/gateway/jobs", "", "", "X-Yuncang-Device", gwCode)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("pull by a revoked gateway: %d", rec.Code)
	}
	sh := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, false)
	rec = m.do(t, "POST", "/api/v1/warehouses/YW1/print-jobs", m.tokens["operator"], fmt.Sprintf(`{"printer_id":%d,"shipment_ids":[%d]}`, printerIDs[yuncang.PrintZPL], sh.ID), station...)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "revoked") {
		t.Fatalf("job for a revoked gateway's printer: %d %s", rec.Code, rec.Body)
	}
}

// TestPrintJobFailsAndRetries: a printer that drops the job is reported as
// failed with the gateway's reason; a retry queues it again and it prints.
func TestPrintJobFailsAndRetries(t *testing.T) {
	m := newMatrixFixture(t, nil)
	ts := httptest.NewServer(m.srv)
	defer ts.Close()
	gwID, _, gw := m.runningGateway(t, ts)
	p, err := printertest.Start()
	must(t, err)
	addr := p.Addr()
	p.Close() // the printer is off: nothing listens
	var pj httpapi.PrinterJSON
	m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/printers", "warehouse_supervisor",
		fmt.Sprintf(`{"name":"P-OFF","language":"zpl","addr":%q,"gateway_id":%d}`, addr, gwID), &pj)
	sh := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, false)
	station := []string{"X-Yuncang-Device", m.devices["YW1-DESK"]}
	var j httpapi.PrintJobJSON
	m.setup(t, 202, "POST", "/api/v1/warehouses/YW1/print-jobs", "operator", fmt.Sprintf(`{"printer_id":%d,"shipment_ids":[%d]}`, pj.ID, sh.ID), &j, station...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go gw.Run(ctx)
	waitStatus := func(want string) httpapi.PrintJobJSON {
		t.Helper()
		var got httpapi.PrintJobJSON
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			rec := m.do(t, "GET", fmt.Sprintf("/api/v1/warehouses/YW1/print-jobs/%d", j.ID), m.tokens["operator"], "")
			must(t, json.Unmarshal(rec.Body.Bytes(), &got))
			if got.Status == want {
				return got
			}
		}
		t.Fatalf("job never %s: %+v", want, got)
		return got
	}
	failed := waitStatus(yuncang.JobFailed)
	if !strings.Contains(failed.Error, "unreachable") {
		t.Errorf("failure reason %q", failed.Error)
	}
	// The printer comes back on the same port; the station retries.
	back, err := printertest.Listen(addr)
	if err != nil {
		t.Skipf("port %s was taken meanwhile: %v", addr, err)
	}
	defer back.Close()
	if rec := m.do(t, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/print-jobs/%d/retry", j.ID), m.tokens["operator"], "", station...); rec.Code != http.StatusAccepted {
		t.Fatalf("retry: %d %s", rec.Code, rec.Body)
	}
	printed := waitStatus(yuncang.JobPrinted)
	if printed.Attempts != 2 || len(back.Jobs()) != 1 {
		t.Fatalf("after retry: %+v, %d jobs at the printer", printed, len(back.Jobs()))
	}
}

// TestPrintWaveInWalkingOrder: a wave of three parcels is printed as one
// job by naming the wave; the labels come off the printer in the wave's
// walking order.
func TestPrintWaveInWalkingOrder(t *testing.T) {
	m := newMatrixFixture(t, nil)
	ts := httptest.NewServer(m.srv)
	defer ts.Close()
	q := "?tenant=ta"
	m.setup(t, 200, "PUT", "/api/v1/warehouses/YW1/stock"+q, "platform_admin", `{"sku":"SKU-1","on_hand":100000}`, nil)
	var orders []int64
	for range 3 {
		id := m.order(t, "ta", "YW1")
		m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", id), "merchant_admin@ta", `{"status":"paid","reason":"payment_confirmed"}`, nil)
		orders = append(orders, id)
	}
	ids, _ := json.Marshal(orders)
	m.setup(t, 200, "POST", "/api/v1/allocations"+q, "platform_admin", fmt.Sprintf(`{"order_ids":%s}`, ids), nil)
	var w httpapi.WaveJSON
	m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/waves"+q, "platform_admin", `{}`, &w)
	if len(w.Parcels) != 3 {
		t.Fatalf("wave of %d parcels", len(w.Parcels))
	}
	for _, p := range w.Picks {
		m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/waves/%d/picks%s", w.ID, q), "platform_admin",
			fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, p.Location, p.SKU, p.Qty), nil)
	}
	waybills := make([]string, len(w.Parcels))
	// Ship in reverse: the labels must still follow the walk, not the shipments' ids.
	for i := len(w.Parcels) - 1; i >= 0; i-- {
		pid := w.Parcels[i]
		m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/pack%s", pid, q), "platform_admin", `{"barcodes":["690001"]}`, nil)
		m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/weigh%s", pid, q), "platform_admin", `{"gross_g":310,"tare_g":200}`, nil)
		var sh httpapi.ShipmentJSON
		m.setup(t, 201, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/shipment%s", pid, q), "platform_admin", `{"sender":`+senderJSON+`}`, &sh)
		waybills[i] = sh.Waybill
	}
	gwID, _, gw := m.runningGateway(t, ts)
	p, err := printertest.Start()
	must(t, err)
	defer p.Close()
	var pj httpapi.PrinterJSON
	m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/printers", "platform_admin", fmt.Sprintf(`{"name":"P-WAVE","language":"zpl","addr":%q,"gateway_id":%d}`, p.Addr(), gwID), &pj)
	station := []string{"X-Yuncang-Device", m.devices["YW1-DESK"]}
	if rec := m.do(t, "POST", "/api/v1/warehouses/YW1/print-jobs", m.tokens["operator"], fmt.Sprintf(`{"printer_id":%d,"wave_id":%d,"shipment_ids":[1]}`, pj.ID, w.ID), station...); rec.Code != http.StatusBadRequest {
		t.Fatalf("wave and shipments at once: %d", rec.Code)
	}
	if rec := m.do(t, "POST", "/api/v1/warehouses/GZ1/print-jobs", m.tokens["warehouse_supervisor"], fmt.Sprintf(`{"printer_id":%d,"wave_id":%d}`, pj.ID, w.ID)); rec.Code == http.StatusAccepted {
		t.Fatal("a wave printed from another warehouse")
	}
	var j httpapi.PrintJobJSON
	m.setup(t, 202, "POST", "/api/v1/warehouses/YW1/print-jobs", "operator", fmt.Sprintf(`{"printer_id":%d,"wave_id":%d}`, pj.ID, w.ID), &j, station...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go gw.Run(ctx)
	got := p.Wait(1, 20*time.Second)
	if len(got) != 1 {
		t.Fatalf("printer received %d jobs", len(got))
	}
	ls, err := printertest.ParseZPL(got[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	var printed []string
	for _, l := range ls {
		printed = append(printed, l.Barcodes...)
	}
	if fmt.Sprint(printed) != fmt.Sprint(waybills) {
		t.Fatalf("labels in order %v, the wave walks %v", printed, waybills)
	}
}

// TestPrintPDFToIPPQueue: a PDF printer behind an IPP queue (as CUPS
// serves one) gets the label as a Print-Job whose document is a PDF that
// reads back with only masked data.
func TestPrintPDFToIPPQueue(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (Debian package poppler-utils); skipping")
	}
	m := newMatrixFixture(t, nil)
	ts := httptest.NewServer(m.srv)
	defer ts.Close()
	gwID, _, gw := m.runningGateway(t, ts)
	q := printertest.StartIPP()
	defer q.Close()
	var pj httpapi.PrinterJSON
	m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/printers", "platform_admin", fmt.Sprintf(`{"name":"A4-OFFICE","language":"pdf","addr":%q,"gateway_id":%d}`, q.URL(), gwID), &pj)
	sh := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, false)
	var j httpapi.PrintJobJSON
	m.setup(t, 202, "POST", "/api/v1/warehouses/YW1/print-jobs", "operator", fmt.Sprintf(`{"printer_id":%d,"shipment_ids":[%d]}`, pj.ID, sh.ID), &j,
		"X-Yuncang-Device", m.devices["YW1-DESK"])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go gw.Run(ctx)
	var jobs []printertest.IPPJob
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && len(jobs) == 0; time.Sleep(50 * time.Millisecond) {
		jobs = q.Jobs()
	}
	if len(jobs) != 1 || jobs[0].Attributes["document-format"] != "application/pdf" {
		t.Fatalf("IPP queue received %+v", jobs)
	}
	file := filepath.Join(t.TempDir(), "label.pdf")
	must(t, os.WriteFile(file, jobs[0].Document, 0o600))
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(out)), "")
	if !strings.Contains(flat, "欧阳**") || !strings.Contains(flat, sh.Waybill) {
		t.Fatalf("the PDF reads %q", flat)
	}
	for _, bad := range printPlaintext {
		if strings.Contains(flat, bad) {
			t.Fatalf("the PDF prints %q", bad)
		}
	}
}
