package pii

import (
	"strings"

	"github.com/yuncang/yuncang"
)

// Phone is a validated mainland China phone number.
//
// Digits is the canonical number without extension: 11 digits for a mobile
// ("13812345678"), area code, dash and local number for a landline
// ("0579-85123456", "010-65123456"). Extension holds the digits of an
// extension (分机) or of a virtual number's (隐私号) extension, if any.
// String joins the two with a dash ("0579-85123456-123").
type Phone struct {
	Kind      string // KindMobile or KindLandline
	Digits    string
	Extension string
}

// String returns the canonical form: Digits, then "-" and the extension if
// there is one.
func (p Phone) String() string {
	if p.Extension != "" {
		return p.Digits + "-" + p.Extension
	}
	return p.Digits
}

// Masked returns the GB/T 41833 display form, which hides at least six
// digits: a mobile keeps its first 3 and last 2 digits (138******78); a
// landline keeps its area code and at most the last 2 digits of the local
// number (0579-******56; a 7-digit local number keeps only its last digit).
// An extension is replaced by a fixed "****". The zero Phone masks to "".
func (p Phone) Masked() string {
	var s string
	switch p.Kind {
	case KindMobile:
		if len(p.Digits) != 11 {
			return ""
		}
		s = p.Digits[:3] + stars(6) + p.Digits[9:]
	case KindLandline:
		i := strings.IndexByte(p.Digits, '-')
		if i < 0 {
			return ""
		}
		local := p.Digits[i+1:]
		keep := min(2, len(local)-6)
		if keep < 0 {
			keep = 0
		}
		s = p.Digits[:i+1] + stars(len(local)-keep) + local[len(local)-keep:]
	default:
		return ""
	}
	if p.Extension != "" {
		s += "-****"
	}
	return s
}

// MaskPhone returns p.Masked().
func MaskPhone(p Phone) string { return p.Masked() }

// ParsePhone validates a mainland China mobile or landline number and returns
// it in canonical form.
//
// It accepts a +86, 0086 or 86 country prefix, spaces, dashes, dots and
// parentheses between digit groups, and full-width digits and signs. A mobile
// is 1[3-9] followed by 9 digits. A landline is an area code (010 and 02x
// have 3 digits, every other area code 4) and a 7- or 8-digit local number
// that does not start with 0 or 1; with a country prefix the area code's
// leading 0 may be left out (+86 579 85123456). An extension of 1 to 6 digits
// may follow after 转, 分机, ext, x, # or a dash.
//
// Errors are yuncang.Invalid on field "phone" and never contain the input.
func ParsePhone(s string) (Phone, error) {
	r := foldRunes(strings.TrimSpace(s))
	if len(r) == 0 {
		return Phone{}, yuncang.Invalid("phone", "is empty")
	}
	for i, c := range r {
		if c >= 'A' && c <= 'Z' {
			r[i] = c + 'a' - 'A'
		}
	}
	num, ext, hasExt := splitExtension(r)
	if hasExt {
		ext = trimSeps(ext)
		if !allDigits(ext) || len(ext) < 1 || len(ext) > 6 {
			return Phone{}, yuncang.Invalid("phone", "extension must be 1 to 6 digits")
		}
	}
	num = trimSeps(num)

	// Collect the digits, remembering where a dash or space separated groups,
	// so a trailing "-123" can be read as an extension.
	var d []byte
	lastGroup := -1 // index in d where the last separated group starts
	prevGroup := -1 // and where the group before it starts
	plus := false
	for i, c := range num {
		switch {
		case isDigit(c):
			d = append(d, byte(c))
		case c == '+':
			if len(d) > 0 || plus {
				return Phone{}, yuncang.Invalid("phone", "has a plus sign that is not at the start")
			}
			plus = true
		case c == ' ' || c == '-':
			if len(d) > 0 && i+1 < len(num) && isDigit(num[i+1]) {
				prevGroup, lastGroup = lastGroup, len(d)
			}
		case c == '.' || c == '(' || c == ')':
		default:
			return Phone{}, yuncang.Invalid("phone", "may contain only digits, spaces, dashes, dots, parentheses and a leading +")
		}
	}
	if len(d) == 0 {
		return Phone{}, yuncang.Invalid("phone", "has no digits")
	}

	// Country code.
	intl := false
	switch {
	case plus:
		if len(d) < 2 || d[0] != '8' || d[1] != '6' {
			return Phone{}, yuncang.Invalid("phone", "only mainland China numbers (+86) are supported")
		}
		d, intl = d[2:], true
		lastGroup, prevGroup = lastGroup-2, prevGroup-2
	case len(d) > 4 && string(d[:4]) == "0086":
		d, intl = d[4:], true
		lastGroup, prevGroup = lastGroup-4, prevGroup-4
	case len(d) >= 12 && d[0] == '8' && d[1] == '6' && (d[2] != '0'):
		d, intl = d[2:], true
		lastGroup, prevGroup = lastGroup-2, prevGroup-2
	}
	if intl && len(d) > 0 && d[0] != '0' && !(d[0] == '1' && len(d) > 1 && d[1] != '0') {
		// International form drops the trunk 0 of an area code.
		d = append([]byte{'0'}, d...)
		lastGroup, prevGroup = lastGroup+1, prevGroup+1
	}
	if len(d) == 0 {
		return Phone{}, yuncang.Invalid("phone", "has no number after the country code")
	}

	if !hasExt && lastGroup > 0 && len(d)-lastGroup <= 6 && lastGroup-max(prevGroup, 0) >= 7 {
		// "0579-8512345-6" is the canonical form of a 7-digit local number
		// with extension 6, not the 8-digit 85123456: a local number is not
		// written as 7 digits and then one more group. Without this rule
		// parsing a canonical form could give another number (found by
		// FuzzParsePhone).
		if q, err := classify(d[:lastGroup]); err == nil && q.Kind == KindLandline {
			q.Extension = string(d[lastGroup:])
			return q, nil
		}
	}
	p, err := classify(d)
	if err != nil && !hasExt && lastGroup > 0 && lastGroup < len(d) && len(d)-lastGroup <= 6 {
		// "0579-85123456-123": the last dash group is an extension.
		if q, err2 := classify(d[:lastGroup]); err2 == nil {
			q.Extension = string(d[lastGroup:])
			return q, nil
		}
	}
	if err != nil {
		return Phone{}, err
	}
	if hasExt {
		p.Extension = string(ext)
	}
	return p, nil
}

// classify validates national digits (no country code, no extension).
func classify(d []byte) (Phone, error) {
	switch {
	case d[0] == '1':
		if len(d) != 11 {
			return Phone{}, yuncang.Invalid("phone", "mobile number must have 11 digits")
		}
		if d[1] < '3' || d[1] > '9' {
			return Phone{}, yuncang.Invalid("phone", "mobile number must start with 13 to 19")
		}
		return Phone{Kind: KindMobile, Digits: string(d)}, nil
	case d[0] == '0':
		n := areaCodeLen(d)
		if n == 0 || len(d) < n {
			return Phone{}, yuncang.Invalid("phone", "landline area code is not valid")
		}
		local := d[n:]
		if len(local) < 7 || len(local) > 8 {
			return Phone{}, yuncang.Invalid("phone", "landline local number must have 7 or 8 digits")
		}
		if local[0] < '2' {
			return Phone{}, yuncang.Invalid("phone", "landline local number must not start with 0 or 1")
		}
		return Phone{Kind: KindLandline, Digits: string(d[:n]) + "-" + string(local)}, nil
	case len(d) == 7 || len(d) == 8:
		return Phone{}, yuncang.Invalid("phone", "landline number needs an area code")
	default:
		return Phone{}, yuncang.Invalid("phone", "is not a mainland mobile or landline number")
	}
}

// areaCodeLen returns the length of the area code at the start of d (which
// starts with 0): 3 for 010 and 02x, 4 for 03xx to 09xx, 0 if d can't start
// with an area code.
func areaCodeLen[T byte | rune](d []T) int {
	if len(d) < 3 || d[0] != '0' {
		return 0
	}
	switch d[1] {
	case '1':
		if d[2] == '0' {
			return 3
		}
		return 0
	case '2':
		return 3
	case '0':
		return 0
	}
	return 4
}

// extensionMarkers introduce an extension in ParsePhone (input lower-cased).
var extensionMarkers = []string{"转", "分机", "ext", "x", "#"}

// splitExtension splits r at the first extension marker.
func splitExtension(r []rune) (num, ext []rune, ok bool) {
	for i := range r {
		for _, m := range extensionMarkers {
			if hasPrefixRunes(r[i:], m) {
				j := i + len([]rune(m))
				if m == "ext" && j < len(r) && (r[j] == '.' || r[j] == ':') {
					j++
				}
				return r[:i], r[j:], true
			}
		}
	}
	return r, nil, false
}

func hasPrefixRunes(r []rune, prefix string) bool {
	i := 0
	for _, c := range prefix {
		if i >= len(r) || r[i] != c {
			return false
		}
		i++
	}
	return true
}

func trimSeps(r []rune) []rune {
	for len(r) > 0 && (r[0] == ' ' || r[0] == '-' || r[0] == ':' || r[0] == '.') {
		r = r[1:]
	}
	for len(r) > 0 && (r[len(r)-1] == ' ' || r[len(r)-1] == '-' || r[len(r)-1] == '.') {
		r = r[:len(r)-1]
	}
	return r
}

func allDigits(r []rune) bool {
	for _, c := range r {
		if !isDigit(c) {
			return false
		}
	}
	return true
}
