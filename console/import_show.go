package console

import (
	"net/http"
)

// importShow is the import form: a CSV or XLSX file, the template to fill
// in, and all-or-nothing.
func (c *Console) importShow(w http.ResponseWriter, r *http.Request) error {
	return c.render(w, http.StatusOK, "import_show", c.newPage(r, "import.title", nil))
}
