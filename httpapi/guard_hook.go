package httpapi

import (
	"net/http"
)

// Activity kinds the anti-theft guard watches. Every handler that shows,
// prints or resolves recipient data calls observe before doing it.
const (
	ActivityReveal       = "reveal"
	ActivityLabelPrint   = "label_print"
	ActivityLabelReprint = "label_reprint"
	ActivityPhoneSearch  = "phone_search"
	ActivityListPage     = "list_page"
	ActivityExport       = "export"
	ActivityResolve      = "virtual_number_resolve"
	ActivityWaybillQuery = "waybill_lookup"
)

// observe tells the guard that the request's actor is about to do kind to
// targets (e.g. "order:12", "waybill:SF123"); a non-nil error means refuse.
func (s *Server) observe(r *http.Request, kind string, targets ...string) error {
	return nil
}
