package httpapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// Tracking webhook signature headers, and how far a signed timestamp may
// be from the server's clock (replays older than that are refused; newer
// ones are caught by the event id).
const (
	webhookTimestampHeader = "X-Yuncang-Timestamp"
	webhookSignatureHeader = "X-Yuncang-Signature"
	webhookSkew            = 5 * time.Minute
	maxWebhookBody         = 64 << 10
)

// WebhookSignature is the signature a carrier sends with a tracking event:
// hex HMAC-SHA256 over the timestamp, a dot and the body.
func WebhookSignature(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) createCarrier(w http.ResponseWriter, r *http.Request) error {
	var req CarrierRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if _, err := age.ParseX25519Recipient(req.PublicKey); err != nil {
		return yuncang.Invalid("public_key", "is not an age X25519 recipient (age1…)")
	}
	c := &yuncang.Carrier{Code: req.Code, Name: req.Name, CheckDigit: req.CheckDigit, PublicKey: req.PublicKey, MaxReprints: req.MaxReprints,
		ResolvePerHour: req.ResolvePerHour, ResolvePerBinding: req.ResolvePerBinding, BindingDays: req.BindingDays}
	if err := c.Validate(); err != nil {
		return err
	}
	// Four eyes: whoever configures a carrier's key and account could act as
	// that carrier, so the carrier exists only once a second person approves
	// (who then receives its webhook secret). The target of the request is
	// the carrier's account (none: the platform's empty account).
	target := &yuncang.User{}
	if req.Account != "" {
		u, err := s.store.UserByUsername(r.Context(), req.Account)
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return yuncang.Invalid("account", "no such account")
			}
			return err
		}
		if u.Role != yuncang.RoleCarrier {
			return yuncang.Invalid("account", "must be a carrier account")
		}
		c.UserID, target = u.ID, u
	}
	switch _, err := s.store.CarrierByCode(r.Context(), c.Code); {
	case err == nil:
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "a carrier with this code exists"}
	case yuncang.ErrorCode(err) != yuncang.ENOTFOUND:
		return err
	}
	return s.requestApproval(w, r, yuncang.ActorFromContext(r.Context()), target, yuncang.ApprovalCarrier, yuncang.ApprovalChange{Carrier: c}, "")
}

// applyCarrier creates an approved carrier with a fresh webhook secret,
// which only the approver receives, once.
func (s *Server) applyCarrier(r *http.Request, c *yuncang.Carrier) (*CreatedCarrierJSON, error) {
	secret := make([]byte, 32)
	rand.Read(secret)
	if err := s.store.CreateCarrier(r.Context(), c, secret); err != nil {
		return nil, err
	}
	return &CreatedCarrierJSON{CarrierJSON: toCarrierJSON(c), WebhookSecret: hex.EncodeToString(secret)}, nil
}

func (s *Server) listCarriers(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.store.Carriers(r.Context())
	if err != nil {
		return err
	}
	out := list[CarrierJSON]{Items: []CarrierJSON{}}
	for _, c := range cs {
		out.Items = append(out.Items, toCarrierJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// pathCarrier resolves the {carrier} path segment.
func (s *Server) pathCarrier(r *http.Request) (*yuncang.Carrier, error) {
	c, err := s.store.CarrierByCode(r.Context(), r.PathValue("carrier"))
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Server) addSegment(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCarrier(r)
	if err != nil {
		return err
	}
	var req SegmentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	seg := &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: req.Prefix, Width: req.Width, First: req.First, Last: req.Last}
	if err := s.store.AddWaybillSegment(r.Context(), seg); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toSegmentJSON(seg))
	return nil
}

func (s *Server) listSegments(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCarrier(r)
	if err != nil {
		return err
	}
	segs, err := s.store.WaybillSegments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := list[SegmentJSON]{Items: []SegmentJSON{}}
	for _, seg := range segs {
		out.Items = append(out.Items, toSegmentJSON(seg))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) addVirtualNumbers(w http.ResponseWriter, r *http.Request) error {
	var req VirtualNumbersRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if len(req.Numbers) == 0 || len(req.Numbers) > 1000 {
		return yuncang.Invalid("numbers", "must list between 1 and 1000 numbers")
	}
	n, err := s.store.AddVirtualNumbers(r.Context(), req.Numbers)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, VirtualNumbersJSON{Added: n})
	return nil
}

// actorCarrier is the carrier the requesting machine account is linked to.
// An unlinked account is told so (not found), and can do nothing.
func (s *Server) actorCarrier(r *http.Request) (*yuncang.Carrier, error) {
	a := yuncang.ActorFromContext(r.Context())
	return s.store.CarrierByUser(r.Context(), a.UserID)
}

// carrierEvent is the audit event template of a carrier request.
func carrierEvent(r *http.Request, kind string, c *yuncang.Carrier) *yuncang.Event {
	ev := actorEvent(r, kind)
	ev.Detail = "carrier " + c.Code
	return ev
}

func (s *Server) carrierManifests(w http.ResponseWriter, r *http.Request) error {
	c, err := s.actorCarrier(r)
	if err != nil {
		return err
	}
	ms, err := s.store.Manifests(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := list[ManifestJSON]{Items: []ManifestJSON{}}
	for _, m := range ms {
		out.Items = append(out.Items, ManifestJSON{ID: m.ID, Carrier: c.Code, Parcels: m.Parcels, Waybills: m.Waybills, CreatedAt: m.CreatedAt})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) carrierManifest(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("manifest"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("manifest", "must be a positive integer")
	}
	c, err := s.actorCarrier(r)
	if err != nil {
		return err
	}
	if err := s.observe(r, ActivityManifest, fmt.Sprintf("manifest:%d", id)); err != nil {
		return err
	}
	seal, err := sealToCarrier(c)
	if err != nil {
		return err
	}
	m, err := s.store.Manifest(r.Context(), c.ID, id, seal, carrierEvent(r, yuncang.EventKindCarrierHandover, c))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ManifestJSON{ID: m.ID, Carrier: c.Code, Parcels: m.Parcels, Waybills: m.Waybills, CreatedAt: m.CreatedAt, Age: string(m.Sealed)})
	return nil
}

// resolveVirtualNumber gives a carrier the real phone behind one of its own
// live bindings. The store counts the attempt, checks the binding and
// records the outcome, allowed or refused, in one transaction.
func (s *Server) resolveVirtualNumber(w http.ResponseWriter, r *http.Request) error {
	var req ResolveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.actorCarrier(r)
	if err != nil {
		return err
	}
	// The number and extension as a target: walking extensions one by one
	// is enumeration to the guard.
	if err := s.observe(r, ActivityResolve, "virtual:"+digitsOnly(req.VirtualNumber)+digitsOnly(req.Extension)); err != nil {
		return err
	}
	res, err := s.store.ResolveVirtualNumber(r.Context(), c.ID, req.VirtualNumber, req.Extension, carrierEvent(r, yuncang.EventKindVirtualResolve, c))
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			s.observeDenied(r, r.Context()) // guessing numbers shows up as misses
		}
		return err
	}
	out := ResolveResponse{Waybill: res.Waybill, Phone: res.Phone}
	if !res.ValidUntil.IsZero() {
		t := res.ValidUntil
		out.ValidUntil = &t
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// carrierEvent applies a signed tracking event. The bearer token says which
// carrier is calling; the signature, with a secret only that carrier and
// yuncang hold, says the event is the carrier's and unaltered; the
// timestamp window and the event id stop replays.
func (s *Server) carrierEvent(w http.ResponseWriter, r *http.Request) error {
	c, err := s.actorCarrier(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		return yuncang.Invalid("body", "is larger than %d bytes", maxWebhookBody)
	}
	ts, sig := r.Header.Get(webhookTimestampHeader), r.Header.Get(webhookSignatureHeader)
	a := yuncang.ActorFromContext(r.Context())
	refuse := func(msg string) error {
		s.securityEvent(r.Context(), a, yuncang.EventAccessDenied, yuncang.OutcomeDenied, "tracking webhook of carrier "+c.Code+": "+msg)
		return yuncang.Errorf(yuncang.EUNAUTHORIZED, "%s", msg)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return refuse("signature and timestamp headers are required")
	}
	if d := s.auth.Now().Sub(time.Unix(unix, 0)); d > webhookSkew || d < -webhookSkew {
		return refuse("timestamp is outside the allowed window")
	}
	secret, err := s.store.CarrierWebhookSecret(r.Context(), c.ID)
	if err != nil {
		return err
	}
	want := WebhookSignature(secret, ts, body)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return refuse("signature does not verify")
	}
	var req TrackingEventRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return jsonError(err)
	}
	note, _ := pii.MaskText(req.Note)
	sh, dup, err := s.store.ApplyTrackingEvent(r.Context(), c.ID, &yuncang.TrackingEvent{EventID: req.ID, Waybill: req.Waybill, Status: req.Status, At: req.At, Note: note})
	if err != nil {
		return err
	}
	// A delivery ends the parcel's journey in the warehouse books too.
	if sh.Status == yuncang.ShipmentDelivered && !dup {
		if p, err := s.store.ParcelByWaybill(r.Context(), sh.Waybill); err != nil {
			return err
		} else if p != nil && p.Status == yuncang.ParcelShipped {
			if _, err := s.store.DeliverParcel(r.Context(), p.TenantID, p.ID, s.auth.Now()); err != nil {
				return err
			}
		}
	}
	writeJSON(w, http.StatusOK, TrackingEventResponse{Waybill: sh.Waybill, Status: sh.Status, Duplicate: dup})
	return nil
}

// sealToCarrier returns a function encrypting to the carrier's age key,
// ASCII-armoured so it travels in JSON.
func sealToCarrier(c *yuncang.Carrier) (func([]byte) ([]byte, error), error) {
	rcpt, err := age.ParseX25519Recipient(c.PublicKey)
	if err != nil {
		return nil, yuncang.Internal(err, fmt.Sprintf("carrier %s public key", c.Code))
	}
	return func(plain []byte) ([]byte, error) {
		var buf bytes.Buffer
		aw := armor.NewWriter(&buf)
		ew, err := age.Encrypt(aw, rcpt)
		if err != nil {
			return nil, err
		}
		if _, err := ew.Write(plain); err != nil {
			return nil, err
		}
		if err := ew.Close(); err != nil {
			return nil, err
		}
		if err := aw.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}, nil
}

// digitsOnly keeps the ASCII digits of s (at most 15).
func digitsOnly(s string) string {
	var b []byte
	for i := 0; i < len(s) && len(b) < 15; i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}
