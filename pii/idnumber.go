package pii

import (
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// ParseIDNumber validates an 18-character resident identity number (GB 11643):
// 17 digits and a check character (a digit or X), a known province code, a
// possible birth date not in the future and a matching ISO 7064 MOD 11-2
// check character. Full-width digits and a lower-case x are accepted; the
// result is canonical (ASCII, upper-case X). Errors are yuncang.Invalid on
// field "id_number" and never contain the input.
func ParseIDNumber(s string) (string, error) {
	r := foldRunes(strings.TrimSpace(s))
	if len(r) != 18 {
		return "", yuncang.Invalid("id_number", "must have 18 characters")
	}
	var b [18]byte
	for i, c := range r {
		switch {
		case isDigit(c):
			b[i] = byte(c)
		case i == 17 && (c == 'X' || c == 'x'):
			b[i] = 'X'
		default:
			return "", yuncang.Invalid("id_number", "must be 17 digits followed by a digit or X")
		}
	}
	if !idRegionOK(b[:]) {
		return "", yuncang.Invalid("id_number", "has an unknown province code")
	}
	if !idBirthOK(b[:], time.Now()) {
		return "", yuncang.Invalid("id_number", "has an impossible birth date")
	}
	if idCheck(b[:]) != b[17] {
		return "", yuncang.Invalid("id_number", "check character does not match")
	}
	return string(b[:]), nil
}

// MaskIDNumber hides an ID number for display: it keeps at most the first 3
// and the last 2 characters (330*************1X). Shorter strings keep less:
// under 10 characters only the first and the last, under 4 nothing.
func MaskIDNumber(s string) string {
	r := []rune(strings.TrimSpace(s))
	head, tail := 3, 2
	switch {
	case len(r) < 4:
		head, tail = 0, 0
	case len(r) < 10:
		head, tail = 1, 1
	}
	return string(r[:head]) + stars(len(r)-head-tail) + string(r[len(r)-tail:])
}

// validID reports whether b (18 ASCII bytes, last possibly 'X' or 'x') is a
// plausible resident ID number. The scanner uses it without allocating.
func validID(b []byte, now time.Time) bool {
	if b[17] == 'x' {
		b[17] = 'X'
	}
	return idRegionOK(b) && idBirthOK(b, now) && idCheck(b) == b[17]
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck computes the GB 11643 check character of the first 17 digits.
func idCheck(b []byte) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(b[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// idRegionOK checks the first two digits against the GB/T 2260 province codes
// (and 71, 81, 82 for Taiwan, Hong Kong and Macao residence permits).
func idRegionOK(b []byte) bool {
	switch (b[0]-'0')*10 + b[1] - '0' {
	case 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
		71, 81, 82, 83:
		return true
	}
	return false
}

// idBirthOK checks that digits 7-14 are a real date from 1900 up to now.
func idBirthOK(b []byte, now time.Time) bool {
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(b[6:10]), num(b[10:12]), num(b[12:14])
	if y < 1900 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	if d > days {
		return false
	}
	ny, nm, nd := now.Date()
	return y*10000+m*100+d <= ny*10000+int(nm)*100+nd
}
