package console

import (
	"net/http"

	"github.com/yuncang/yuncang/orderfile"
)

// importTemplate is the empty CSV merchants fill in (the header
// orderfile reads; a UTF-8 mark so Excel on Chinese Windows reads it right).
func (c *Console) importTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="orders-template.csv"`)
	return orderfile.WriteCSV(w, nil)
}
