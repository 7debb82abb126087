package httpapi

import (
	"time"

	"github.com/yuncang/yuncang"
)

// Wire types: what crosses the API. They are separate from the domain types
// so that a new domain field never leaks by accident.

// LoginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// LoginResponse carries a new session token, shown once.
type LoginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      UserJSON  `json:"user"`
}

// UserJSON is an account as clients see it.
type UserJSON struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	Role        string     `json:"role"`
	Tenant      string     `json:"tenant,omitempty"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
}

// CreateUserRequest is the body of POST /api/v1/users.
type CreateUserRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Tenant   string `json:"tenant"`
}

// CreateTokenRequest is the body of POST /api/v1/tokens.
type CreateTokenRequest struct {
	Username string `json:"username"`
	Label    string `json:"label"`
	TTLHours int    `json:"ttl_hours"`
}

// TokenResponse carries a new API token, shown once.
type TokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
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

// SetStockRequest is the body of PUT /api/v1/stock.
type SetStockRequest struct {
	Warehouse string `json:"warehouse"`
	SKU       string `json:"sku"`
	OnHand    *int   `json:"on_hand"`
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
type OrderPage struct {
	Orders     []OrderJSON `json:"orders"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

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

// ImportResponse summarises an import.
type ImportResponse struct {
	Orders     int              `json:"orders"`
	Created    int              `json:"created"`
	Duplicates int              `json:"duplicates"`
	Rejected   int              `json:"rejected"`
	Committed  bool             `json:"committed"`
	Errors     []ImportRowError `json:"errors"`
}

func toUserJSON(u *yuncang.User, tenantCode string) UserJSON {
	j := UserJSON{ID: u.ID, Username: u.Username, Role: u.Role, Tenant: tenantCode, Status: u.Status, CreatedAt: u.CreatedAt}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt
		j.LastLoginAt = &t
	}
	return j
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
		Remarks:     o.Remarks, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
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
