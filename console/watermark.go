package console

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/yuncang/yuncang"
)

// watermark draws the tile every page lays over itself (static/console.css
// puts it on a fixed layer above the content): the account, its device and
// the time, so that a photo of the screen names its taker. It is drawn
// fresh for each page load (no-store) so the time is that of the view.
func (c *Console) watermark(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	device := translate(language(r), "home.no_device")
	if a.Device != nil {
		device = a.Device.Code
	}
	lines := []string{a.Username + " · " + translate(language(r), "role."+a.Role), device + " · " + a.Source, c.now().In(c.zone).Format("2006-01-02 15:04:05 MST")}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="360" height="220" viewBox="0 0 360 220">`)
	b.WriteString(`<g transform="rotate(-24 180 110)" fill="#1a2a44" fill-opacity="0.10" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" font-size="14">`)
	for i, l := range lines {
		fmt.Fprintf(&b, `<text x="24" y="%d">%s</text>`, 80+i*20, html.EscapeString(l))
	}
	b.WriteString(`</g></svg>`)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write([]byte(b.String()))
	return nil
}
