// Package intake turns a merchant's order as submitted into a prepared order:
// every field validated, the phone normalised, the address parsed into GB/T
// 2260 divisions, and the GB/T 41833 masked views derived. It is the one path
// into storage for the API, the importer, the demo and the benchmark.
package intake

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// Limits on recipient fields, in characters.
const (
	maxNameRunes    = 50
	maxAddressRunes = 200
)

// Prepare validates an order of tenantID and derives its stored form. Errors
// name the field and the problem and never contain the submitted values.
func Prepare(tenantID int64, in yuncang.OrderInput) (*yuncang.PreparedOrder, error) {
	p := &yuncang.PreparedOrder{TenantID: tenantID}

	moid := strings.TrimSpace(in.MerchantOrderID)
	switch {
	case moid == "":
		return nil, yuncang.Invalid("merchant_order_id", "is required")
	case len(moid) > yuncang.MaxMerchantOrderID:
		return nil, yuncang.Invalid("merchant_order_id", "is longer than %d bytes", yuncang.MaxMerchantOrderID)
	}
	if err := checkText("merchant_order_id", moid, false); err != nil {
		return nil, err
	}
	if err := checkName("merchant_order_id", moid); err != nil {
		return nil, err
	}
	if err := checkOrderID(moid); err != nil {
		return nil, err
	}
	p.MerchantOrderID = moid

	if len(in.Lines) == 0 {
		return nil, yuncang.Invalid("lines", "must contain at least one line")
	} else if len(in.Lines) > yuncang.MaxOrderLines {
		return nil, yuncang.Invalid("lines", "has more than %d lines", yuncang.MaxOrderLines)
	}
	p.Lines = make([]yuncang.OrderLine, len(in.Lines))
	for i, l := range in.Lines {
		code := strings.TrimSpace(l.SKUCode)
		if code == "" {
			return nil, yuncang.Invalid(fmt.Sprintf("lines[%d].sku", i), "is required")
		} else if len(code) > 64 {
			return nil, yuncang.Invalid(fmt.Sprintf("lines[%d].sku", i), "is not a valid SKU code")
		} else if err := checkText(fmt.Sprintf("lines[%d].sku", i), code, false); err != nil {
			return nil, err
		}
		if l.Quantity <= 0 || l.Quantity > yuncang.MaxLineQuantity {
			return nil, yuncang.Invalid(fmt.Sprintf("lines[%d].quantity", i), "must be between 1 and %d", yuncang.MaxLineQuantity)
		}
		p.Lines[i] = yuncang.OrderLine{SKUCode: code, Quantity: l.Quantity}
	}

	if err := checkText("recipient.name", in.Recipient.Name, false); err != nil {
		return nil, err
	}
	name := strings.Join(strings.Fields(in.Recipient.Name), " ")
	if err := checkName("recipient.name", name); err != nil {
		return nil, err
	}
	switch {
	case name == "":
		return nil, yuncang.Invalid("recipient.name", "is required")
	case utf8.RuneCountInString(name) > maxNameRunes:
		return nil, yuncang.Invalid("recipient.name", "is longer than %d characters", maxNameRunes)
	case strings.IndexFunc(name, unicode.IsDigit) >= 0:
		return nil, yuncang.Invalid("recipient.name", "must not contain digits")
	}
	p.Recipient.Name = name
	p.Masked.Name = pii.MaskName(name)

	phone, err := pii.ParsePhone(in.Recipient.Phone)
	if err != nil {
		return nil, renamed(err, "recipient.phone")
	}
	p.Recipient.Phone = phone.Digits
	p.Masked.Phone = phone.Masked()

	addr := strings.TrimSpace(in.Recipient.Address)
	switch {
	case addr == "":
		return nil, yuncang.Invalid("recipient.address", "is required")
	case utf8.RuneCountInString(addr) > maxAddressRunes:
		return nil, yuncang.Invalid("recipient.address", "is longer than %d characters", maxAddressRunes)
	}
	if err := checkText("recipient.address", addr, false); err != nil {
		return nil, err
	}
	a, err := pii.ParseAddress(addr)
	if err != nil {
		return nil, renamed(err, "recipient.address")
	}
	p.Recipient.Address = addr
	p.Masked.Address = a.Masked()
	p.Destination = yuncang.Region{
		Province: a.Province, ProvinceCode: a.ProvinceCode,
		City: a.City, CityCode: a.CityCode,
		District: a.District, DistrictCode: a.DistrictCode,
		Street: a.Street, StreetCode: a.StreetCode,
	}

	remarks := strings.TrimSpace(in.Remarks)
	if utf8.RuneCountInString(remarks) > yuncang.MaxRemarksRunes {
		return nil, yuncang.Invalid("remarks", "is longer than %d characters", yuncang.MaxRemarksRunes)
	} else if err := checkText("remarks", remarks, true); err != nil {
		return nil, err
	}
	p.Remarks = remarks
	p.MaskedRemarks, _ = pii.MaskText(remarks)
	return p, nil
}

// renamed re-labels a pii validation error with the order field it came from.
func renamed(err error, field string) error {
	if e, ok := err.(*yuncang.Error); ok {
		c := *e
		c.Field = field
		return &c
	}
	return yuncang.Invalid(field, "is not valid")
}
