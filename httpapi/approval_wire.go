package httpapi

import "time"

// ApprovalJSON is a four-eyes request as the API shows it. The hash of the
// requester's enrolment-code part is never shown.
type ApprovalJSON struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind"`
	Tenant         string     `json:"tenant,omitempty"`
	TargetID       int64      `json:"target_id"`
	TargetUsername string     `json:"target_username"`
	Role           string     `json:"role,omitempty"`
	NewAccount     bool       `json:"new_account,omitempty"`
	Shift          *ShiftJSON `json:"shift,omitempty"`
	// ShiftLifted: the request lifts the account's shift altogether.
	ShiftLifted bool     `json:"shift_lifted,omitempty"`
	TokenLabel  string   `json:"token_label,omitempty"`
	Scopes      []string `json:"scopes,omitempty"`
	TTLHours    int      `json:"ttl_hours,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	// Carrier is the carrier a request of kind carrier configures.
	Carrier     *CarrierJSON `json:"carrier,omitempty"`
	Status      string       `json:"status"`
	RequestedBy int64        `json:"requested_by"`
	DecidedBy   int64        `json:"decided_by,omitempty"`
	Note        string       `json:"note,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	DecidedAt   *time.Time   `json:"decided_at,omitempty"`
	ExpiresAt   time.Time    `json:"expires_at"`
}

// ApprovalRequestedJSON answers (202) a change that waits for a second
// person. A new account of a revealing or administering role comes with the
// requester's half of its enrolment code; the approver receives the other.
type ApprovalRequestedJSON struct {
	Approval          ApprovalJSON `json:"approval"`
	User              *UserJSON    `json:"user,omitempty"`
	EnrolmentCodePart string       `json:"enrolment_code_part,omitempty"`
}

// DecisionRequest is the body of the approve and reject routes.
type DecisionRequest struct {
	Note string `json:"note"`
}

// ApprovalDecidedJSON answers a decision. An approved token request
// carries the token (shown once, to the approver); an approved new account
// the approver's half of the enrolment code.
type ApprovalDecidedJSON struct {
	Approval ApprovalJSON   `json:"approval"`
	Token    *TokenResponse `json:"token,omitempty"`
	// Carrier is an approved carrier with its webhook secret, shown once to the approver.
	Carrier           *CreatedCarrierJSON `json:"carrier,omitempty"`
	EnrolmentCodePart string              `json:"enrolment_code_part,omitempty"`
}

// RedeemRequestJSON is the body of POST /api/v1/enrolment/redeem.
type RedeemRequestJSON struct {
	Code string `json:"code"` // both parts joined with a dot, "p1.p2"
	// Password is the new password for a new account, or the account's
	// current password for a second-factor reset.
	Password string `json:"password"`
}

// RedeemedJSON carries the redeemer's own new second factor, shown once and
// only to them.
type RedeemedJSON struct {
	Username   string `json:"username"`
	Purpose    string `json:"purpose"`
	TOTPSecret string `json:"totp_secret"`
	TOTPURI    string `json:"totp_uri"`
}
