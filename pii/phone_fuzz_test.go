package pii

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// FuzzParsePhone: ParsePhone never panics, refuses with EINVALID and without
// echoing the input, and what it accepts is canonical (parsing the canonical
// form gives the same phone) and masks to a form hiding at least 6 digits.
func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "138-1234-5678", "１３８１２３４５６７８", "0579-85123456",
		"(0579)8512 3456#12", "010-12345678-1234", "13800138000-1234", "8613812345678", "幺三八", "", "0", "+", "12345",
		"0579-85123456转123", "\xff138"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			if yuncang.ErrorCode(err) != yuncang.EINVALID {
				t.Fatalf("ParsePhone(%q): %v", s, err)
			}
			if len(strings.TrimSpace(s)) >= 4 && strings.Contains(err.Error(), strings.TrimSpace(s)) {
				t.Fatalf("ParsePhone(%q) error echoes the input: %v", s, err)
			}
			return
		}
		again, err := ParsePhone(p.String())
		if err != nil || again != p {
			t.Fatalf("ParsePhone(%q) = %+v, but its canonical form %q parses to %+v, %v", s, p, p.String(), again, err)
		}
		m := p.Masked()
		if m == "" {
			t.Fatalf("ParsePhone(%q) = %+v masks to nothing", s, p)
		}
		if hidden := strings.Count(m, "*"); hidden < 6 {
			t.Fatalf("ParsePhone(%q).Masked() = %q hides %d characters, want at least 6", s, m, hidden)
		}
		if strings.Contains(m, p.Digits) {
			t.Fatalf("masked form %q contains the number", m)
		}
	})
}

// Found by FuzzParsePhone: the canonical form of a 7-digit local number with
// an extension parsed back as an 8-digit local number, another phone.
func TestParsePhoneCanonicalFormRoundTrips(t *testing.T) {
	for _, s := range []string{"07002000000X0", "0579-8512345-6", "0579 8512345 66", "+86 579 8512345-1"} {
		p, err := ParsePhone(s)
		if err != nil {
			t.Fatalf("ParsePhone(%q): %v", s, err)
		}
		again, err := ParsePhone(p.String())
		if err != nil || again != p {
			t.Errorf("ParsePhone(%q) = %+v; its canonical form %q parses to %+v, %v", s, p, p.String(), again, err)
		}
	}
	// Split local numbers keep their meaning.
	for s, want := range map[string]string{"0579-8512-3456": "0579-85123456", "010 8512 3456": "010-85123456", "0579-85123456-12": "0579-85123456-12"} {
		if p, err := ParsePhone(s); err != nil || p.String() != want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", s, p.String(), err, want)
		}
	}
}
