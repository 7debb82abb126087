package storetest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/sqlstore"
)

// testPrintJobs: a gateway's queued jobs are handed out once however many
// pulls race for them (several pools, as several servers); a printed job's
// payload is erased with its audit record; a failed one keeps it for a
// retry until it expires; an expired one is never handed out and is erased.
func testPrintJobs(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "print")
	db := w.db
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	gw := &yuncang.Device{Code: "YW1-GW", Name: "gw", Kind: yuncang.DevicePrintGateway, WarehouseID: w.whYiwu.ID, PublicKey: pub, EnrolledBy: 1}
	must(t, db.EnrolDevice(ctx, gw))
	ev := func(kind string) *yuncang.Event {
		return &yuncang.Event{Username: "gateway:YW1-GW", DeviceID: gw.ID, Kind: kind, Outcome: yuncang.OutcomeOK}
	}
	must(t, db.RegisterGateway(ctx, &yuncang.PrintGateway{DeviceID: gw.ID, WarehouseID: w.whYiwu.ID, Recipient: "age1example"}, ev(yuncang.EventGatewayRegister)))
	p := &yuncang.Printer{WarehouseID: w.whYiwu.ID, Name: "P1", Language: yuncang.PrintZPL, Addr: "10.0.0.9", GatewayID: gw.ID}
	must(t, p.Validate())
	must(t, db.CreatePrinter(ctx, p, ev(yuncang.EventPrinterChange)))
	if err := db.CreatePrinter(ctx, &yuncang.Printer{WarehouseID: w.whYiwu.ID, Name: "P1", Language: yuncang.PrintZPL, DPI: 203, Size: "76x130", Addr: "10.0.0.9", GatewayID: gw.ID}, ev(yuncang.EventPrinterChange)); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
		t.Fatalf("duplicate printer name: %v", err)
	}
	now := db.Now()
	const jobs = 30
	for i := 0; i < jobs; i++ {
		j := &yuncang.PrintJob{WarehouseID: w.whYiwu.ID, PrinterID: p.ID, GatewayID: gw.ID, ShipmentIDs: []int64{int64(i + 1), int64(i + 100)},
			RequestedBy: 7, Payload: []byte("sealed"), ExpiresAt: now.Add(time.Hour)}
		must(t, db.CreatePrintJob(ctx, j))
	}
	dbs := []*sqlstore.DB{db, h.Open(t, "print", w.master), h.Open(t, "print", w.master)}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for _, d := range dbs {
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func(d *sqlstore.DB) {
				defer wg.Done()
				for k := 0; k < 10; k++ {
					js, err := d.ClaimPrintJobs(ctx, gw.ID, 4, now)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for _, j := range js {
						seen[j.ID]++
					}
					mu.Unlock()
				}
			}(d)
		}
	}
	wg.Wait()
	if len(seen) != jobs {
		t.Fatalf("%d of %d jobs handed out", len(seen), jobs)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("job %d handed out %d times", id, n)
		}
	}
	var ids []int64
	for id := range seen {
		ids = append(ids, id)
	}
	// Printed: payload erased, audited with the job and its shipments.
	done, err := db.FinishPrintJob(ctx, gw.ID, ids[0], yuncang.JobPrinted, "ab", "", ev(yuncang.EventPrintDelivered))
	must(t, err)
	if done.Payload != nil {
		t.Fatal("printed job keeps its payload")
	}
	if j, _ := db.PrintJob(ctx, w.whYiwu.ID, ids[0]); j.Payload != nil || j.Status != yuncang.JobPrinted {
		t.Fatalf("stored printed job: %+v", j)
	}
	if _, err := db.FinishPrintJob(ctx, gw.ID, ids[0], yuncang.JobPrinted, "ab", "", ev(yuncang.EventPrintDelivered)); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
		t.Fatalf("second report: %v", err)
	}
	evs, err := db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventPrintDelivered})
	must(t, err)
	if len(evs) != 1 || len(evs[0].Targets) != 3 || evs[0].Targets[0] == "" {
		t.Fatalf("delivery events: %+v", evs)
	}
	// Another gateway cannot report this gateway's job.
	if _, err := db.FinishPrintJob(ctx, gw.ID+1000, ids[1], yuncang.JobPrinted, "ab", "", ev(yuncang.EventPrintDelivered)); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("report by another gateway: %v", err)
	}
	// Failed: kept for a retry, queued again, handed out again.
	_, err = db.FinishPrintJob(ctx, gw.ID, ids[1], yuncang.JobFailed, "", "printer unreachable", ev(yuncang.EventPrintFailed))
	must(t, err)
	r, err := db.RetryPrintJob(ctx, w.whYiwu.ID, ids[1], ev(yuncang.EventPrintRetry))
	must(t, err)
	if r.Status != yuncang.JobQueued {
		t.Fatalf("retried job is %s", r.Status)
	}
	if _, err := db.RetryPrintJob(ctx, w.whSH.ID, ids[1], ev(yuncang.EventPrintRetry)); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("retry from another warehouse: %v", err)
	}
	// Expired: never handed out, payload erased by the sweep.
	late := &yuncang.PrintJob{WarehouseID: w.whYiwu.ID, PrinterID: p.ID, GatewayID: gw.ID, ShipmentIDs: []int64{9}, RequestedBy: 7, Payload: []byte("sealed"), ExpiresAt: now.Add(time.Minute)}
	must(t, db.CreatePrintJob(ctx, late))
	js, err := db.ClaimPrintJobs(ctx, gw.ID, 50, now.Add(2*time.Minute))
	must(t, err)
	for _, j := range js {
		if j.ID == late.ID {
			t.Fatal("an expired job was handed out")
		}
	}
	n, err := db.ExpirePrintJobs(ctx, now.Add(2*time.Minute))
	must(t, err)
	if j, _ := db.PrintJob(ctx, w.whYiwu.ID, late.ID); n == 0 || j.Payload != nil || j.Status != yuncang.JobFailed || j.Error != "expired" {
		t.Fatalf("after expiry (%d erased): %+v", n, j)
	}
	// Removing the printer fails what still waits for it.
	must(t, db.RemovePrinter(ctx, w.whYiwu.ID, p.ID, ev(yuncang.EventPrinterChange)))
	if j, _ := db.PrintJob(ctx, w.whYiwu.ID, ids[1]); j.Status != yuncang.JobFailed || j.Payload != nil {
		t.Fatalf("job of a removed printer: %+v", j)
	}
}
