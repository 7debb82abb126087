package console

import (
	"embed"
	"net/http"
	"path"

	"github.com/yuncang/yuncang"
)

//go:embed static
var staticFS embed.FS

var staticTypes = map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".csv": "text/csv; charset=utf-8"}

// staticFile serves the embedded assets (no personal data: cacheable).
func (c *Console) staticFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	ct, ok := staticTypes[path.Ext(name)]
	if !ok {
		return yuncang.Errorf(yuncang.ENOTFOUND, "no such file")
	}
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		return yuncang.Errorf(yuncang.ENOTFOUND, "no such file")
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
	return nil
}
