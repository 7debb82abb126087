package httpapi

import (
	"time"

	"github.com/yuncang/yuncang"
)

// Wire types: what crosses the API. They are separate from the domain types
// so that a new domain field never leaks by accident.

// LoginRequest is the body of POST /api/v1/login. Enrolled stations also
// sign each request with the device's key (package devicekey: headers
// X-Yuncang-Device, -Time, -Nonce and -Signature).
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp,omitempty"`
}

// StepUpRequest is the body of POST /api/v1/step-up.
type StepUpRequest struct {
	TOTP string `json:"totp"`
}

// LoginResponse carries a new session token, shown once.
type LoginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      UserJSON  `json:"user"`
}

// UserJSON is an account as clients see it.
type UserJSON struct {
	ID             int64      `json:"id"`
	Username       string     `json:"username"`
	Role           string     `json:"role"`
	Tenant         string     `json:"tenant,omitempty"`
	Status         string     `json:"status"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	EmploymentType string     `json:"employment_type"`
	EndAt          *time.Time `json:"end_at,omitempty"`
	Warehouses     []string   `json:"warehouses,omitempty"`
	Shift          *ShiftJSON `json:"shift,omitempty"`
	SecondFactor   bool       `json:"second_factor"`
	CreatedAt      time.Time  `json:"created_at"`
	LastLoginAt    *time.Time `json:"last_login_at,omitempty"`
	LastActiveAt   *time.Time `json:"last_active_at,omitempty"`
	ReviewedAt     *time.Time `json:"reviewed_at,omitempty"`
}

// ShiftJSON is a shift window in the warehouse's local time.
type ShiftJSON struct {
	Start string   `json:"start"` // "08:00"
	End   string   `json:"end"`   // "20:00"; earlier than start spans midnight
	Days  []string `json:"days"`  // "mon".."sun"
	Mode  string   `json:"mode"`  // "deny" or "step_up"
}

// CreateUserRequest is the body of POST /api/v1/users.
type CreateUserRequest struct {
	Username       string     `json:"username"` // no password: the person sets their own (enrolment code)
	Role           string     `json:"role"`
	Tenant         string     `json:"tenant"`
	EmploymentType string     `json:"employment_type"`
	EndAt          *time.Time `json:"end_at"`
	Warehouses     []string   `json:"warehouses"`
	Shift          *ShiftJSON `json:"shift"`
}

// CreatedUserJSON is a new account with its one-time enrolment code, shown
// once: the person redeems it to set their own password and second factor.
type CreatedUserJSON struct {
	UserJSON
	EnrolmentCode      string    `json:"enrolment_code"`
	EnrolmentExpiresAt time.Time `json:"enrolment_expires_at"`
}

// OffboardRequest is the body of POST /api/v1/users/{id}/offboard.
type OffboardRequest struct {
	Reason string `json:"reason"`
}

// RoleRequest is the body of PUT /api/v1/users/{id}/role.
type RoleRequest struct {
	Role string `json:"role"`
}

// WarehousesRequest is the body of PUT /api/v1/users/{id}/warehouses.
type WarehousesRequest struct {
	Warehouses []string `json:"warehouses"`
}

// EndRequest is the body of PUT /api/v1/users/{id}/end.
type EndRequest struct {
	EndAt *time.Time `json:"end_at"`
}

// EnrolmentJSON carries a one-time enrolment code, shown once.
type EnrolmentJSON struct {
	Purpose       string    `json:"purpose"`
	EnrolmentCode string    `json:"enrolment_code"`
	ExpiresAt     time.Time `json:"expires_at"`
}

// AccessReviewJSON lists who can do what, per warehouse and tenant.
type AccessReviewJSON struct {
	GeneratedAt time.Time             `json:"generated_at"`
	Accounts    []AccessReviewAccount `json:"accounts"`
	ByWarehouse map[string][]string   `json:"by_warehouse"`
	ByTenant    map[string][]string   `json:"by_tenant"`
	PastDue     []string              `json:"past_due"`
}

// AccessReviewAccount is one account in an access review.
type AccessReviewAccount struct {
	UserJSON
	Can         []string   `json:"can"`
	LastActed   *time.Time `json:"last_acted,omitempty"`
	ReviewDueAt time.Time  `json:"review_due_at"`
	PastDue     bool       `json:"past_due"`
}

// CreateTokenRequest is the body of POST /api/v1/tokens.
type CreateTokenRequest struct {
	Username string   `json:"username"`
	Label    string   `json:"label"`
	TTLHours int      `json:"ttl_hours"`
	Scopes   []string `json:"scopes"`
}

// TokenResponse carries a new API token, shown once.
type TokenResponse struct {
	ID        int64     `json:"id"`
	Token     string    `json:"token"`
	Scopes    []string  `json:"scopes"`
	ExpiresAt time.Time `json:"expires_at"`
}

// DeviceRequest is the body of the device enrolment routes.
type DeviceRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Kind: packing_station, office_desk, print_gateway or carrier_client
	// (a merchant's office holds only office desks).
	Kind string `json:"kind"`
	// PublicKey is the device's Ed25519 public key (base64 of 32 bytes),
	// generated on the device (yuncang device keygen); the private key
	// never leaves it.
	PublicKey string `json:"public_key"`
	// AssignedTo is the username of the one person an office desk serves.
	AssignedTo string `json:"assigned_to,omitempty"`
}

// DeviceJSON is an enrolled device.
type DeviceJSON struct {
	ID         int64      `json:"id"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	Warehouse  string     `json:"warehouse,omitempty"`
	Tenant     string     `json:"tenant,omitempty"`
	AssignedTo string     `json:"assigned_to,omitempty"`
	EnrolledAt time.Time  `json:"enrolled_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// EventJSON is an audit-log event.
type EventJSON struct {
	ID        int64     `json:"id"` // 1 + the record's index in the log
	At        time.Time `json:"at"`
	UserID    int64     `json:"user_id,omitempty"`
	Username  string    `json:"username,omitempty"`
	Role      string    `json:"role,omitempty"`
	ActorID   int64     `json:"actor_id,omitempty"` // an administrator acting on the account
	ActorName string    `json:"actor_name,omitempty"`
	ActorRole string    `json:"actor_role,omitempty"`
	Kind      string    `json:"kind"`
	Outcome   string    `json:"outcome"`
	Tenant    int64     `json:"tenant_id,omitempty"`
	Targets   []string  `json:"targets,omitempty"`
	Purpose   string    `json:"purpose,omitempty"`
	Source    string    `json:"source,omitempty"`
	DeviceID  int64     `json:"device_id,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

func toEventJSON(e *yuncang.Event) EventJSON {
	return EventJSON{ID: e.ID, At: e.At, UserID: e.UserID, Username: e.Username, Role: e.Role, ActorID: e.ActorID, ActorName: e.ActorName,
		ActorRole: e.ActorRole, Kind: e.Kind, Outcome: e.Outcome, Tenant: e.TenantID, Targets: e.Targets, Purpose: e.Purpose,
		Source: e.Source, DeviceID: e.DeviceID, Detail: e.Detail}
}

// RevealRequest is the body of POST /api/v1/orders/{id}/reveal.
type RevealRequest struct {
	Purpose string `json:"purpose"`
	Note    string `json:"note"`
}

// RevealResponse is one recipient in plaintext, for one stated purpose.
type RevealResponse struct {
	OrderID   int64  `json:"order_id"`
	Purpose   string `json:"purpose"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	Remarks   string `json:"remarks"`
	Watermark string `json:"watermark"` // who revealed it, when, why, and the number of its audit record (audit#N): show it with the data
}

// TenantJSON is a merchant.
type TenantJSON struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// WarehouseJSON is a warehouse.
type WarehouseJSON struct {
	ID           int64     `json:"id"`
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	ProvinceCode string    `json:"province_code"`
	CityCode     string    `json:"city_code"`
	DistrictCode string    `json:"district_code"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
}

// SKUJSON is a stock-keeping unit.
type SKUJSON struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Barcode   string    `json:"barcode"`
	Name      string    `json:"name"`
	WeightG   int       `json:"weight_g"`
	VolumeCM3 int       `json:"volume_cm3"`
	TempClass string    `json:"temp_class"`
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// StockJSON is a stock row.
type StockJSON struct {
	Warehouse string `json:"warehouse"`
	SKU       string `json:"sku"`
	OnHand    int    `json:"on_hand"`
	Reserved  int    `json:"reserved"`
	Available int    `json:"available"`
}

// SetStockRequest is the body of PUT /api/v1/warehouses/{warehouse}/stock.
type SetStockRequest struct {
	SKU    string `json:"sku"`
	OnHand *int   `json:"on_hand"`
}

// OrderLineJSON is one line of an order.
type OrderLineJSON struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// RecipientInput is a recipient as a merchant submits it.
type RecipientInput struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// OrderRequest is the body of POST /api/v1/orders.
type OrderRequest struct {
	MerchantOrderID string          `json:"merchant_order_id"`
	Lines           []OrderLineJSON `json:"lines"`
	Recipient       RecipientInput  `json:"recipient"`
	Remarks         string          `json:"remarks"`
}

// MaskedRecipientJSON is the GB/T 41833 de-identified recipient.
type MaskedRecipientJSON struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// RegionJSON is a destination down to the street.
type RegionJSON struct {
	Province     string `json:"province"`
	ProvinceCode string `json:"province_code"`
	City         string `json:"city"`
	CityCode     string `json:"city_code"`
	District     string `json:"district"`
	DistrictCode string `json:"district_code"`
	Street       string `json:"street,omitempty"`
	StreetCode   string `json:"street_code,omitempty"`
}

// OrderJSON is an order as clients see it: masked.
type OrderJSON struct {
	ID              int64               `json:"id"`
	MerchantOrderID string              `json:"merchant_order_id"`
	Status          string              `json:"status"`
	Lines           []OrderLineJSON     `json:"lines"`
	Recipient       MaskedRecipientJSON `json:"recipient"`
	Destination     RegionJSON          `json:"destination"`
	Remarks         string              `json:"remarks"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

// OrderPage is a page of orders with the cursor of the next page.
type OrderPage = Page[OrderJSON]

// OrderSearchRequest is the body of POST /api/v1/orders/search. The phone is
// sent in the body, not the URL, so that it stays out of access logs.
type OrderSearchRequest struct {
	Phone  string `json:"phone"`
	Status string `json:"status"`
	Limit  int    `json:"limit"`
	Cursor string `json:"cursor"`
}

// ImportRowError is one rejected row of an import.
type ImportRowError struct {
	Row             int    `json:"row"`
	MerchantOrderID string `json:"merchant_order_id,omitempty"`
	Code            string `json:"code"`
	Field           string `json:"field,omitempty"`
	Message         string `json:"message"`
}

// ImportExistingJSON is an order of an import whose merchant order id names
// an order already stored: nothing was stored for it, and its content was
// not compared with the stored order's.
type ImportExistingJSON struct {
	Row             int    `json:"row"`
	MerchantOrderID string `json:"merchant_order_id"`
	OrderID         int64  `json:"order_id"`
}

// ImportResponse summarises an import: orders = created + existing +
// rejected + not_committed.
type ImportResponse struct {
	Orders   int `json:"orders"`
	Created  int `json:"created"`
	Existing int `json:"existing"`
	Rejected int `json:"rejected"`
	// NotCommitted counts the good orders an all-or-nothing import did
	// not store because others were rejected: orders = created +
	// existing + rejected + not_committed.
	NotCommitted   int                  `json:"not_committed"`
	Committed      bool                 `json:"committed"`
	Errors         []ImportRowError     `json:"errors"`
	ExistingOrders []ImportExistingJSON `json:"existing_orders"`
}

func toTenantJSON(t *yuncang.Tenant) TenantJSON {
	return TenantJSON{ID: t.ID, Code: t.Code, Name: t.Name, CreatedAt: t.CreatedAt}
}

func toWarehouseJSON(w *yuncang.Warehouse) WarehouseJSON {
	return WarehouseJSON{ID: w.ID, Code: w.Code, Name: w.Name, ProvinceCode: w.ProvinceCode, CityCode: w.CityCode, DistrictCode: w.DistrictCode, CreatedAt: w.CreatedAt}
}

func toSKUJSON(s *yuncang.SKU) SKUJSON {
	return SKUJSON{ID: s.ID, Code: s.Code, Barcode: s.Barcode, Name: s.Name, WeightG: s.WeightG, VolumeCM3: s.VolumeCM3, TempClass: s.TempClass, CreatedAt: s.CreatedAt}
}

func toOrderJSON(o *yuncang.Order) OrderJSON {
	lines := make([]OrderLineJSON, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = OrderLineJSON{SKU: l.SKUCode, Quantity: l.Quantity}
	}
	d := o.Destination
	return OrderJSON{
		ID: o.ID, MerchantOrderID: o.MerchantOrderID, Status: o.Status, Lines: lines,
		Recipient:   MaskedRecipientJSON{Name: o.Recipient.Name, Phone: o.Recipient.Phone, Address: o.Recipient.Address},
		Destination: RegionJSON{Province: d.Province, ProvinceCode: d.ProvinceCode, City: d.City, CityCode: d.CityCode, District: d.District, DistrictCode: d.DistrictCode, Street: d.Street, StreetCode: d.StreetCode},
		Remarks:     remaskRemarks(o.Remarks), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}
}

func (r *OrderRequest) toInput() yuncang.OrderInput {
	lines := make([]yuncang.OrderLine, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = yuncang.OrderLine{SKUCode: l.SKU, Quantity: l.Quantity}
	}
	return yuncang.OrderInput{MerchantOrderID: r.MerchantOrderID, Lines: lines,
		Recipient: yuncang.Recipient{Name: r.Recipient.Name, Phone: r.Recipient.Phone, Address: r.Recipient.Address}, Remarks: r.Remarks}
}
