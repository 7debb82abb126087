package pii

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

func TestParseIDNumber(t *testing.T) {
	valid := []struct{ in, want string }{
		{"11010519491231002X", "11010519491231002X"},
		{"11010519491231002x", "11010519491231002X"},
		{" 330782199001011239 ", "330782199001011239"},
		{"440305200002294564", "440305200002294564"}, // 29 February 2000
		{"650102198511307895", "650102198511307895"},
		{"33010619900101123X", "33010619900101123X"},
		{"３３０７８２１９９００１０１１２３９", "330782199001011239"},
	}
	for _, tt := range valid {
		got, err := ParseIDNumber(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseIDNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	invalid := []struct{ in, want string }{
		{"", "18 characters"},
		{"33078219900101123", "18 characters"},
		{"3307821990010112390", "18 characters"},
		{"330782199001011230", "check character"}, // wrong check digit
		{"110105194912310020", "check character"},
		{"33078219900101123Y", "17 digits followed by"},
		{"3307821990X101123X", "17 digits followed by"},
		{"990782199001011231", "province code"},
		{"202310011234567897", "province code"}, // an order number with a valid checksum
		{"330782199002301238", "birth date"},    // 30 February
		{"330782190013011235", "birth date"},    // month 13
		{"330782190002291235", "birth date"},    // 1900 was not a leap year
		{"330782210001011233", "birth date"},    // born in 2100
	}
	for _, tt := range invalid {
		_, err := ParseIDNumber(tt.in)
		if err == nil {
			t.Errorf("ParseIDNumber(%q): no error", tt.in)
			continue
		}
		if yuncang.ErrorField(err) != "id_number" || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseIDNumber(%q) error = %v, want field id_number and %q", tt.in, err, tt.want)
		}
		assertNoEcho(t, err.Error(), tt.in)
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "110*************2X"},
		{"330782199001011239", "330*************39"},
		{"330782199001011", "330**********11"}, // old 15-digit number
		{"1234567", "1*****7"},
		{"123", "***"},
		{"", ""},
	}
	for _, tt := range tests {
		got := MaskIDNumber(tt.in)
		if got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(tt.in) >= 10 && strings.Count(got, "*") < len(tt.in)-5 {
			t.Errorf("MaskIDNumber(%q) = %q keeps more than 5 characters", tt.in, got)
		}
	}
}
