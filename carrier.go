package yuncang

import (
	"strconv"
	"strings"
	"time"
)

// Waybill check-digit schemes. Carriers hand out number ranges (segments);
// some append a check digit to the serial, computed by one of these.
const (
	CheckNone  = "none"
	CheckLuhn  = "luhn" // mod 10, Luhn
	CheckMod7  = "mod7" // serial mod 7
	CheckS10   = "s10"  // UPU S10 mod 11 over 8 digits (EMS)
	CheckMod11 = "mod11"
)

// CheckSchemes lists the supported check-digit schemes.
var CheckSchemes = []string{CheckNone, CheckLuhn, CheckMod7, CheckS10, CheckMod11}

// Defaults of a carrier's policy.
const (
	DefaultMaxReprints       = 2
	DefaultResolvePerHour    = 600
	DefaultResolvePerBinding = 10
	DefaultBindingDays       = 15
)

// Carrier is an express company yuncang hands parcels to. It is platform
// configuration: the carrier's machine account (role carrier) is linked to
// exactly one Carrier, and can act only on that carrier's shipments.
type Carrier struct {
	ID         int64
	Code       string // ZTO, SF, EMS
	Name       string // 中通快递
	CheckDigit string // one of CheckSchemes
	// UserID is the linked carrier account (0: none yet).
	UserID int64
	// PublicKey is the carrier's age X25519 recipient ("age1…"): handover
	// manifests are encrypted to it, so only the carrier can read them.
	PublicKey string
	// MaxReprints is how often one label may be printed again.
	MaxReprints int
	// ResolvePerHour caps the carrier's virtual-number resolves per hour;
	// ResolvePerBinding caps resolves of one binding over its life.
	ResolvePerHour    int
	ResolvePerBinding int
	// BindingDays is how long a virtual number stays bound after delivery.
	BindingDays int
	CreatedAt   time.Time
}

// Validate checks a carrier before it is stored, filling in defaults.
func (c *Carrier) Validate() error {
	var p Problems
	p.Check(validCode("code", c.Code))
	if c.Name == "" || len(c.Name) > 100 {
		p.Add("name", "is required, at most 100 bytes")
	}
	if c.CheckDigit == "" {
		c.CheckDigit = CheckNone
	}
	if !contains(CheckSchemes, c.CheckDigit) {
		p.Add("check_digit", "must be one of %s", strings.Join(CheckSchemes, ", "))
	}
	if !strings.HasPrefix(c.PublicKey, "age1") || len(c.PublicKey) < 20 || len(c.PublicKey) > 200 {
		p.Add("public_key", "must be the carrier's age X25519 recipient (age1…)")
	}
	for _, f := range []struct {
		field string
		v     *int
		def   int
		max   int
	}{
		{"max_reprints", &c.MaxReprints, DefaultMaxReprints, 20},
		{"resolve_per_hour", &c.ResolvePerHour, DefaultResolvePerHour, 1_000_000},
		{"resolve_per_binding", &c.ResolvePerBinding, DefaultResolvePerBinding, 1000},
		{"binding_days", &c.BindingDays, DefaultBindingDays, 90},
	} {
		if *f.v == 0 {
			*f.v = f.def
		}
		if *f.v < 0 || *f.v > f.max {
			p.Add(f.field, "must be between 0 and %d", f.max)
		}
	}
	return p.Err()
}

// WaybillSegment is a range of waybill serials a carrier handed out:
// numbers Prefix + serial (zero-padded to Width digits) + check digit, for
// serials First..Last. Next is the next serial to allocate.
type WaybillSegment struct {
	ID        int64
	CarrierID int64
	Prefix    string
	Width     int
	First     int64
	Last      int64
	Next      int64
	CreatedAt time.Time
}

// Validate checks a segment before it is stored.
func (s *WaybillSegment) Validate() error {
	if len(s.Prefix) > 8 {
		return Invalid("prefix", "is longer than 8 characters")
	}
	for _, r := range s.Prefix {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return Invalid("prefix", "may contain only upper-case letters and digits")
		}
	}
	if s.Width < 6 || s.Width > 18 {
		return Invalid("width", "must be between 6 and 18 digits")
	}
	if s.First < 0 || s.Last < s.First {
		return Invalid("last", "must not be below first")
	}
	if len(strconv.FormatInt(s.Last, 10)) > s.Width {
		return Invalid("last", "has more digits than the width")
	}
	if s.Next == 0 {
		s.Next = s.First
	}
	return nil
}

// WaybillNumber formats serial n of the segment with the carrier's check digit.
func WaybillNumber(prefix string, width int, n int64, scheme string) string {
	d := strconv.FormatInt(n, 10)
	if len(d) < width {
		d = strings.Repeat("0", width-len(d)) + d
	}
	return prefix + d + CheckDigit(scheme, d)
}

// CheckDigit returns the check digit of a serial's digits under a scheme
// ("" for CheckNone). It covers the zero-padded serial, not the prefix.
func CheckDigit(scheme, digits string) string {
	switch scheme {
	case CheckLuhn:
		sum := 0
		double := true // the check digit will be appended on the right
		for i := len(digits) - 1; i >= 0; i-- {
			d := int(digits[i] - '0')
			if double {
				d *= 2
				if d > 9 {
					d -= 9
				}
			}
			sum += d
			double = !double
		}
		return strconv.Itoa((10 - sum%10) % 10)
	case CheckMod7:
		n, _ := strconv.ParseInt(digits, 10, 64)
		return strconv.FormatInt(n%7, 10)
	case CheckS10:
		w := []int{8, 6, 4, 2, 3, 5, 9, 7}
		s := digits
		if len(s) > 8 {
			s = s[len(s)-8:]
		}
		sum := 0
		for i := 0; i < len(s); i++ {
			sum += int(s[i]-'0') * w[(8-len(s)+i)%8]
		}
		c := 11 - sum%11
		switch c {
		case 10:
			c = 0
		case 11:
			c = 5
		}
		return strconv.Itoa(c)
	case CheckMod11:
		sum := 0
		for i, wgt := len(digits)-1, 2; i >= 0; i, wgt = i-1, wgt+1 {
			if wgt > 7 {
				wgt = 2
			}
			sum += int(digits[i]-'0') * wgt
		}
		c := (11 - sum%11) % 11
		if c == 10 {
			c = 0
		}
		return strconv.Itoa(c)
	}
	return ""
}

// ValidWaybill reports whether a waybill number's check digit is right for
// a segment's prefix and scheme.
func ValidWaybill(number, prefix, scheme string) bool {
	rest, ok := strings.CutPrefix(number, prefix)
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < '0' || rest[i] > '9' {
			return false
		}
	}
	if scheme == CheckNone || scheme == "" {
		return true
	}
	body, check := rest[:len(rest)-1], rest[len(rest)-1:]
	return body != "" && CheckDigit(scheme, body) == check
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
