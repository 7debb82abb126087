package console

import (
	"net/http"
	"time"

	"github.com/yuncang/yuncang"
)

// switchLanguage remembers the language and returns to the page.
func (c *Console) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	l := r.PathValue("lang")
	if l != langZH && l != langEN {
		return yuncang.Invalid("lang", "must be zh-CN or en")
	}
	http.SetCookie(w, cookie(langCookie, l, c.now().Add(365*24*time.Hour)))
	return seeOther(w, r, r.URL.Query().Get("next"))
}
