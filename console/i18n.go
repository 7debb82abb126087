package console

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/yuncang/yuncang"
)

// Languages: zh-CN is the default; English through the language switch.
const (
	langZH = "zh-CN"
	langEN = "en"
	// langCookie remembers the chosen language (not personal data).
	langCookie = "yc_lang"
)

// language is the request's language: the switch's cookie, else zh-CN.
func language(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langZH
}

// translate returns the message for key in lang; a key without a message
// shows as itself (TestMessagesComplete keeps the catalogue whole).
func translate(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return m[1]
	}
	return m[0]
}

// mustBeCodes matches the API's "must be csv or jsonl" and "must be one of
// damaged, printer_jam, lost, relabel": a list of codes, which read the same
// in either language.
var mustBeCodes = regexp.MustCompile(`^must be (?:one of )?([a-z0-9_]+(?:(?:, | or )[a-z0-9_]+)*)$`)

// errorText is a refusal's message in the page's language. The common API
// refusals have a message of their own: a role that may not, a parameter
// missing, a parameter with a value outside its list, no such merchant;
// any other names its field before the API's (English) message.
func errorText(lang string, err error) string {
	msg, field := yuncang.ErrorMessage(err), yuncang.ErrorField(err)
	switch code := yuncang.ErrorCode(err); {
	case code == yuncang.EFORBIDDEN && msg == "your role may not do this":
		return translate(lang, "api.role_may_not")
	case code != yuncang.EINVALID || field == "":
		return msg
	case msg == "is required" || strings.HasPrefix(msg, "is required:"):
		return fmt.Sprintf(translate(lang, "api.param_required"), field)
	case msg == "no such tenant":
		return fmt.Sprintf(translate(lang, "api.no_such_tenant"), field)
	}
	if m := mustBeCodes.FindStringSubmatch(msg); m != nil {
		list := m[1]
		if lang == langZH {
			list = strings.ReplaceAll(strings.ReplaceAll(list, " or ", "、"), ", ", "、")
		}
		return fmt.Sprintf(translate(lang, "api.param_one_of"), field, list)
	}
	return fmt.Sprintf(translate(lang, "api.param_invalid"), field, msg)
}
