package console

import (
	"encoding/json"
	"net/http"

	"github.com/yuncang/yuncang"
)

// A scan on a floor page is one fetch() with the page's CSRF token in
// X-CSRF-Token; the answer is a small JSON object: whether the scan was
// taken, what to say (a message of the catalogue, or the store's own
// refusal), and the next step.

// scanAnswer is the JSON answer to one scan.
type scanAnswer struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	// Step is what the page asks for next (the scan input's prompt).
	Step string `json:"step,omitempty"`
	Data any    `json:"data,omitempty"`
}

// maxScanBody bounds a scan's JSON body.
const maxScanBody = 64 << 10

// readScan decodes a scan's JSON body.
func readScan(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxScanBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return yuncang.Invalid("body", "is not a scan this page sends")
	}
	return nil
}

// scanRefused reports whether an error is the rules refusing the scan (a
// wrong item, a wrong weight, a state that does not allow it): the page
// shows it in red and the scanner goes on. Anything else (a refusal of the
// authorization step, an internal error) is an error page.
func scanRefused(err error) bool {
	switch yuncang.ErrorCode(err) {
	case yuncang.EINVALID, yuncang.ECONFLICT, yuncang.ENOTFOUND:
		return true
	}
	return false
}

// answerScan writes a scan's answer: a taken scan (err nil) with msg (a
// message key) and the next step, or the rules' refusal.
func (c *Console) answerScan(w http.ResponseWriter, r *http.Request, err error, msg, step string, data any) error {
	a := scanAnswer{OK: err == nil, Message: translate(language(r), msg), Step: step, Data: data}
	status := http.StatusOK
	if err != nil && yuncang.ErrorCode(err) == yuncang.EFORBIDDEN && yuncang.ErrorField(err) == "totp" {
		// The guard wants a fresh second factor (a print at night, say):
		// the scanner takes the one-time code in place, then the scan again.
		a.Message, a.Step, status = translate(language(r), "floor.stepup"), "stepup", http.StatusForbidden
		err = nil
	}
	if err != nil {
		if !scanRefused(err) {
			return err
		}
		a.Message, status = yuncang.ErrorMessage(err), http.StatusUnprocessableEntity
		if f := yuncang.ErrorField(err); f != "" {
			a.Message = f + ": " + a.Message
		}
	}
	b, jerr := json.Marshal(a)
	if jerr != nil {
		return yuncang.Internal(jerr, "encode scan answer")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, werr := w.Write(b)
	return werr
}
