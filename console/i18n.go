package console

import "net/http"

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
