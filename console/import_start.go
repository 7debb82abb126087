package console

import (
	"bufio"
	"context"
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/orderfile"
)

// importStart reads the uploaded file (the API's reader and limits), then
// stores its orders in a job through intake.Import, as the API's import
// does, and sends the browser to the job's progress page.
func (c *Console) importStart(w http.ResponseWriter, r *http.Request) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return yuncang.Invalid("file", "is required: choose a CSV or XLSX file")
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 4096)
	head, _ := br.Peek(512)
	format, err := orderfile.DetectFormat(hdr.Filename, hdr.Header.Get("Content-Type"), head)
	if err != nil {
		return err
	}
	orders, rowErrs, err := orderfile.Read(br, format, orderfile.Options{})
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	t := httpapi.TenantFrom(r.Context())
	j := &importJob{id: randomToken(), userID: a.UserID, tenantID: t.ID, state: "queued", total: len(orders)}
	if !jobs.add(j, c.now()) {
		return yuncang.Errorf(yuncang.ERATELIMITED, "%d imports are waiting; try again in a minute", maxQueuedImports)
	}
	ev := *httpapi.ActorEvent(r, yuncang.EventOrderImport)
	allOrNothing := r.PostFormValue("all_or_nothing") == "on"
	ctx := context.WithoutCancel(r.Context())
	guardReq := r.Clone(ctx) // the guard's view of the request, kept past its handler
	go func() {
		jobs.slots <- struct{}{} // wait for a turn: the file is already read
		defer func() { <-jobs.slots }()
		j.mu.Lock()
		j.state = "storing"
		j.mu.Unlock()
		rep, err := intake.Import(ctx, c.store, t.ID, orders, rowErrs, allOrNothing, ev, func(done, total int) {
			j.mu.Lock()
			j.done, j.total = done, total
			j.mu.Unlock()
		})
		if err == nil {
			// Counted by the guard as the API's import is.
			if gerr := c.api.ObserveResubmissions(guardReq, rep); gerr != nil {
				c.log.Error("console import: guard", "err", gerr.Error())
			}
		}
		j.mu.Lock()
		defer j.mu.Unlock()
		j.finished = c.now()
		if err != nil {
			c.log.Error("console import", "err", err.Error())
			j.state, j.err = "failed", "the import failed; nothing more was stored"
			return
		}
		j.state, j.report = "done", rep
	}()
	return seeOther(w, r, pageLink(r, "/orders/import/"+j.id))
}
