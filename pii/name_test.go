package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张*"},
		{"张三丰", "张**"},
		{"欧阳娜娜", "欧阳**"},
		{"欧阳锋", "欧阳*"},
		{"诸葛亮", "诸葛*"},
		{"司马相如", "司马**"},
		{"上官婉儿", "上官**"},
		{"慕容复", "慕容*"},
		{"令狐冲", "令狐*"},
		{"欧阳", "欧*"}, // a compound surname alone still hides a character
		{"司马", "司*"},
		{"王", "*"},
		{"李小龙", "李**"},
		{"  王五  ", "王*"},
		{"\u3000赵六\u3000", "赵*"},
		{"买买提·艾力", "买*****"},
		{"John Smith", "J*********"},
		{"Li", "L*"},
		{"A", "*"},
		{"Ольга", "О****"},
		{"张*", "张**"}, // already starred: never returned unchanged
		{"*", "**"},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskNameHidesAtLeastOne(t *testing.T) {
	names := []string{"张三", "李四光", "欧阳娜娜", "皇甫嵩", "端木蓉", "公孙策", "长孙无忌", "宇文护",
		"夏侯惇", "轩辕", "尉迟恭", "单于", "淳于意", "赫连勃勃", "万俟卨", "钟离春", "呼延灼",
		"王", "Jane", "X Æ A-12", "金", "东方不败", "Мария"}
	for _, n := range names {
		got := MaskName(n)
		if got == n {
			t.Errorf("MaskName(%q) returned its input", n)
		}
		hidden := strings.Count(got, "*")
		if hidden < 1 {
			t.Errorf("MaskName(%q) = %q hides nothing", n, got)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(n) {
			t.Errorf("MaskName(%q) = %q: length changed", n, got)
		}
		// Every kept character is the input's own, in place.
		in, out := []rune(n), []rune(got)
		for i := range out {
			if out[i] != '*' && out[i] != in[i] {
				t.Errorf("MaskName(%q) = %q: rune %d is neither kept nor starred", n, got, i)
			}
		}
	}
}
