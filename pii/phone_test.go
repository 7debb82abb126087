package pii

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in, kind, digits, ext string
	}{
		{"13812345678", KindMobile, "13812345678", ""},
		{"  13812345678 ", KindMobile, "13812345678", ""},
		{"138 1234 5678", KindMobile, "13812345678", ""},
		{"138-1234-5678", KindMobile, "13812345678", ""},
		{"138.1234.5678", KindMobile, "13812345678", ""},
		{"(138)12345678", KindMobile, "13812345678", ""},
		{"+86 138 1234 5678", KindMobile, "13812345678", ""},
		{"+86-13812345678", KindMobile, "13812345678", ""},
		{"+8613812345678", KindMobile, "13812345678", ""},
		{"(+86) 138-1234-5678", KindMobile, "13812345678", ""},
		{"0086 13812345678", KindMobile, "13812345678", ""},
		{"008613812345678", KindMobile, "13812345678", ""},
		{"8613812345678", KindMobile, "13812345678", ""},
		{"86 138 1234 5678", KindMobile, "13812345678", ""},
		{"１３８１２３４５６７８", KindMobile, "13812345678", ""},
		{"＋８６　１３８－１２３４－５６７８", KindMobile, "13812345678", ""},
		{"138—1234—5678", KindMobile, "13812345678", ""},
		{"19912345678", KindMobile, "19912345678", ""},
		{"16612345678", KindMobile, "16612345678", ""},
		{"14712345678", KindMobile, "14712345678", ""},
		{"13800138000转1234", KindMobile, "13800138000", "1234"}, // virtual number
		{"13800138000-1234", KindMobile, "13800138000", "1234"},
		{"13800138000,1234", "", "", ""},
		{"0579-85123456", KindLandline, "0579-85123456", ""},
		{"0579 85123456", KindLandline, "0579-85123456", ""},
		{"(0579)85123456", KindLandline, "0579-85123456", ""},
		{"（0579）8512-3456", KindLandline, "0579-85123456", ""},
		{"0579 8512 3456", KindLandline, "0579-85123456", ""},
		{"057985123456", KindLandline, "0579-85123456", ""},
		{"010-65123456", KindLandline, "010-65123456", ""},
		{"01065123456", KindLandline, "010-65123456", ""},
		{"020-87654321", KindLandline, "020-87654321", ""},
		{"0755-2612345", KindLandline, "0755-2612345", ""},
		{"０５７１－８７６５４３２１", KindLandline, "0571-87654321", ""},
		{"+86 579 85123456", KindLandline, "0579-85123456", ""},
		{"+86-571-87654321", KindLandline, "0571-87654321", ""},
		{"+86 10 6512 3456", KindLandline, "010-65123456", ""},
		{"0086 21 62345678", KindLandline, "021-62345678", ""},
		{"0579-85123456转123", KindLandline, "0579-85123456", "123"},
		{"0579-85123456 转 123", KindLandline, "0579-85123456", "123"},
		{"0579-85123456 ext. 123", KindLandline, "0579-85123456", "123"},
		{"0579-85123456 EXT 9", KindLandline, "0579-85123456", "9"},
		{"0579-85123456x12", KindLandline, "0579-85123456", "12"},
		{"0579-85123456#8", KindLandline, "0579-85123456", "8"},
		{"0579-85123456分机66", KindLandline, "0579-85123456", "66"},
		{"0579-85123456-123", KindLandline, "0579-85123456", "123"},
		{"010-6512-3456-8001", KindLandline, "010-65123456", "8001"},
	}
	for _, tt := range tests {
		p, err := ParsePhone(tt.in)
		if tt.kind == "" {
			if err == nil {
				t.Errorf("ParsePhone(%q) = %+v, want error", tt.in, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePhone(%q): %v", tt.in, err)
			continue
		}
		if p.Kind != tt.kind || p.Digits != tt.digits || p.Extension != tt.ext {
			t.Errorf("ParsePhone(%q) = %+v, want %s %s ext %q", tt.in, p, tt.kind, tt.digits, tt.ext)
		}
		// The canonical form parses to itself.
		q, err := ParsePhone(p.String())
		if err != nil || q != p {
			t.Errorf("ParsePhone(%q) = %+v, %v; want %+v", p.String(), q, err, p)
		}
	}
}

func TestParsePhoneErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "is empty"},
		{"   ", "is empty"},
		{"1381234567", "mobile number must have 11 digits"},
		{"138123456789", "mobile number must have 11 digits"},
		{"12345678901", "must start with 13 to 19"},
		{"10012345678", "must start with 13 to 19"},
		{"85123456", "needs an area code"},
		{"8512345", "needs an area code"},
		{"0579-15123456", "must not start with 0 or 1"},
		{"0579-05123456", "must not start with 0 or 1"},
		{"0579-851234", "7 or 8 digits"},
		{"0579-851234567", "7 or 8 digits"},
		{"0012-3456789", "area code is not valid"},
		{"011-23456789", "area code is not valid"},
		{"+1 415 555 0100", "only mainland China"},
		{"+852 2123 4567", "only mainland China"},
		{"138abc45678", "may contain only digits"},
		{"138*****678", "may contain only digits"},
		{"tel 13812345678", "may contain only digits"},
		{"138+12345678", "plus sign"},
		{"0579-85123456转1234567", "extension must be 1 to 6 digits"},
		{"0579-85123456转", "extension must be 1 to 6 digits"},
		{"0579-85123456转12a", "extension must be 1 to 6 digits"},
		{"转123", "has no digits"},
		{"---", "has no digits"},
		{"400-800-8888", "not a mainland mobile or landline"},
		{"95588", "not a mainland mobile or landline"},
		{"+86", "has no number"},
	}
	for _, tt := range tests {
		_, err := ParsePhone(tt.in)
		if err == nil {
			t.Errorf("ParsePhone(%q): no error, want %q", tt.in, tt.want)
			continue
		}
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != "phone" {
			t.Errorf("ParsePhone(%q): error %v is not invalid/phone", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePhone(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
		}
		assertNoEcho(t, err.Error(), tt.in)
	}
}

// assertNoEcho fails if msg contains any run of 4 characters of in that
// carry digits: errors must not repeat personal data.
func assertNoEcho(t *testing.T, msg, in string) {
	t.Helper()
	r := []rune(in)
	for i := 0; i+4 <= len(r); i++ {
		w := string(r[i : i+4])
		if strings.ContainsAny(w, "0123456789") && strings.Contains(msg, w) {
			t.Errorf("error %q repeats input text %q", msg, w)
		}
	}
}

func TestPhoneMasked(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138******78"},
		{"+86 199 8765 4321", "199******21"},
		{"13800138000转1234", "138******00-****"},
		{"0579-85123456", "0579-******56"},
		{"010-65123456", "010-******56"},
		{"0755-2612345", "0755-******5"},
		{"0579-85123456转123", "0579-******56-****"},
	}
	for _, tt := range tests {
		p, err := ParsePhone(tt.in)
		if err != nil {
			t.Fatalf("ParsePhone(%q): %v", tt.in, err)
		}
		got := p.Masked()
		if got != tt.want {
			t.Errorf("Masked(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if MaskPhone(p) != got {
			t.Errorf("MaskPhone(%q) differs from Masked", tt.in)
		}
		// GB/T 41833: at least six digits of the number itself are hidden,
		// and only digits of the number are shown.
		number := strings.TrimSuffix(got, "-****") // the extension's marker
		if p.Kind == KindLandline {
			number = number[strings.IndexByte(number, '-')+1:] // the local number
		}
		if n := strings.Count(number, "*"); n < 6 {
			t.Errorf("Masked(%q) = %q hides %d digits, want at least 6", tt.in, got, n)
		}
		totalDigits := len(strings.ReplaceAll(p.Digits, "-", ""))
		shown := 0
		for _, c := range strings.TrimSuffix(got, "-****") {
			if isDigit(c) {
				shown++
			}
		}
		if totalDigits-shown < 6 {
			t.Errorf("Masked(%q) = %q shows %d of %d digits", tt.in, got, shown, totalDigits)
		}
		if p.Extension != "" && strings.Contains(got, p.Extension) {
			t.Errorf("Masked(%q) = %q shows the extension", tt.in, got)
		}
	}
	if got := (Phone{}).Masked(); got != "" {
		t.Errorf("zero Phone masks to %q", got)
	}
}
