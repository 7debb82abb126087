package guard

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
)

// Notifier posts alerts to a webhook, signed so the receiver can trust
// them: X-Yuncang-Signature is "sha256=" + hex(HMAC-SHA256(secret,
// timestamp + "." + body)) and X-Yuncang-Timestamp the Unix time it was
// signed. Delivery is asynchronous with a few retries; a request is never
// held up by a slow receiver.
type Notifier struct {
	URL    string
	Secret []byte
	Client *http.Client
	Log    *slog.Logger
	Now    func() time.Time

	wg sync.WaitGroup
}

// AlertPayload is what the webhook receives. It carries no personal data.
type AlertPayload struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id"`
	Username string    `json:"username"`
	Role     string    `json:"role"`
	TenantID int64     `json:"tenant_id,omitempty"`
	Rule     string    `json:"rule"`
	Severity string    `json:"severity"`
	Response string    `json:"response"`
	Detail   string    `json:"detail"`
}

// Sign returns the signature header value for a body at a time.
func Sign(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "%d.", ts)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Notify sends the alert in the background.
func (n *Notifier) Notify(a *yuncang.Alert) {
	if n == nil || n.URL == "" {
		return
	}
	body, _ := json.Marshal(AlertPayload{ID: a.ID, At: a.At, UserID: a.UserID, Username: a.Username, Role: a.Role, TenantID: a.TenantID,
		Rule: a.Rule, Severity: a.Severity, Response: a.Response, Detail: a.Detail})
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		client := n.Client
		if client == nil {
			client = &http.Client{Timeout: 5 * time.Second}
		}
		now := time.Now
		if n.Now != nil {
			now = n.Now
		}
		for attempt := 0; attempt < 3; attempt++ {
			ts := now().Unix()
			req, err := http.NewRequestWithContext(context.Background(), "POST", n.URL, bytes.NewReader(body))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Yuncang-Timestamp", strconv.FormatInt(ts, 10))
			req.Header.Set("X-Yuncang-Signature", Sign(n.Secret, ts, body))
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode < 300 {
					return
				}
			}
			time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
		}
		if n.Log != nil {
			n.Log.Warn("alert webhook delivery failed", "alert", a.ID)
		}
	}()
}

// Wait blocks until every pending delivery finished (for shutdown and tests).
func (n *Notifier) Wait() {
	if n != nil {
		n.wg.Wait()
	}
}
