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

// Prepare validates an order of tenantID and derives its stored form. Every
// invalid field is reported at once, each with its first problem. Errors
// name the field and the problem and never contain the submitted values.
func Prepare(tenantID int64, in yuncang.OrderInput) (*yuncang.PreparedOrder, error) {
	p := &yuncang.PreparedOrder{TenantID: tenantID}
	var probs yuncang.Problems
	if moid, err := merchantOrderID(in.MerchantOrderID); probs.Check(err) {
		p.MerchantOrderID = moid
	}
	if len(in.Lines) == 0 {
		probs.Add("lines", "must contain at least one line")
	} else if len(in.Lines) > yuncang.MaxOrderLines {
		probs.Add("lines", "has more than %d lines", yuncang.MaxOrderLines)
	} else {
		p.Lines = make([]yuncang.OrderLine, len(in.Lines))
		for i, l := range in.Lines {
			code, err := skuCode(fmt.Sprintf("lines[%d].sku", i), l.SKUCode)
			probs.Check(err)
			if l.Quantity <= 0 || l.Quantity > yuncang.MaxLineQuantity {
				probs.Add(fmt.Sprintf("lines[%d].quantity", i), "must be between 1 and %d", yuncang.MaxLineQuantity)
			}
			p.Lines[i] = yuncang.OrderLine{SKUCode: code, Quantity: l.Quantity}
		}
	}

	if name, err := recipientName(in.Recipient.Name); probs.Check(err) {
		p.Recipient.Name = name
		p.Masked.Name = pii.MaskName(name)
	}
	if phone, err := pii.ParsePhone(in.Recipient.Phone); probs.Check(renamed(err, "recipient.phone")) {
		p.Recipient.Phone = phone.Digits
		p.Masked.Phone = phone.Masked()
	}
	if addr, a, err := recipientAddress(in.Recipient.Address); probs.Check(err) {
		p.Recipient.Address = addr
		p.Masked.Address = a.Masked()
		p.Destination = yuncang.Region{
			Province: a.Province, ProvinceCode: a.ProvinceCode,
			City: a.City, CityCode: a.CityCode,
			District: a.District, DistrictCode: a.DistrictCode,
			Street: a.Street, StreetCode: a.StreetCode,
		}
	}

	remarks := strings.TrimSpace(in.Remarks)
	if utf8.RuneCountInString(remarks) > yuncang.MaxRemarksRunes {
		probs.Add("remarks", "is longer than %d characters", yuncang.MaxRemarksRunes)
	} else {
		probs.Check(checkText("remarks", remarks, true))
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	p.Remarks = remarks
	p.MaskedRemarks, _ = pii.MaskText(remarks)
	return p, nil
}

func merchantOrderID(s string) (string, error) {
	moid := strings.TrimSpace(s)
	switch {
	case moid == "":
		return "", yuncang.Invalid("merchant_order_id", "is required")
	case len(moid) > yuncang.MaxMerchantOrderID:
		return "", yuncang.Invalid("merchant_order_id", "is longer than %d bytes", yuncang.MaxMerchantOrderID)
	}
	if err := checkText("merchant_order_id", moid, false); err != nil {
		return "", err
	}
	if err := checkName("merchant_order_id", moid); err != nil {
		return "", err
	}
	return moid, checkOrderID(moid)
}

func skuCode(field, s string) (string, error) {
	code := strings.TrimSpace(s)
	if code == "" {
		return "", yuncang.Invalid(field, "is required")
	} else if len(code) > 64 {
		return "", yuncang.Invalid(field, "is not a valid SKU code")
	}
	return code, checkText(field, code, false)
}

func recipientName(s string) (string, error) {
	if err := checkText("recipient.name", s, false); err != nil {
		return "", err
	}
	name := strings.Join(strings.Fields(s), " ")
	if err := checkName("recipient.name", name); err != nil {
		return "", err
	}
	switch {
	case name == "":
		return "", yuncang.Invalid("recipient.name", "is required")
	case utf8.RuneCountInString(name) > maxNameRunes:
		return "", yuncang.Invalid("recipient.name", "is longer than %d characters", maxNameRunes)
	case strings.IndexFunc(name, unicode.IsDigit) >= 0:
		return "", yuncang.Invalid("recipient.name", "must not contain digits")
	}
	return name, nil
}

func recipientAddress(s string) (string, pii.Address, error) {
	addr := strings.TrimSpace(s)
	switch {
	case addr == "":
		return "", pii.Address{}, yuncang.Invalid("recipient.address", "is required")
	case utf8.RuneCountInString(addr) > maxAddressRunes:
		return "", pii.Address{}, yuncang.Invalid("recipient.address", "is longer than %d characters", maxAddressRunes)
	}
	if err := checkText("recipient.address", addr, false); err != nil {
		return "", pii.Address{}, err
	}
	a, err := pii.ParseAddress(addr)
	if err != nil {
		return "", pii.Address{}, renamed(err, "recipient.address")
	}
	return addr, a, nil
}

// renamed re-labels a pii validation error with the order field it came from.
func renamed(err error, field string) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*yuncang.Error); ok {
		c := *e
		c.Field = field
		return &c
	}
	return yuncang.Invalid(field, "is not valid")
}
