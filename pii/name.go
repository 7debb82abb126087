package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// compoundSurnames are two-character surnames (复姓). A name starting with one
// keeps both characters when masked, as the standard's examples do, provided
// at least one character of the given name is still hidden.
var compoundSurnames = func() map[string]bool {
	const list = "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 " +
		"赫连 澹台 皇甫 宗政 濮阳 公冶 太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 " +
		"司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 " +
		"宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 公户 " +
		"公玉 公仪 梁丘 公仲 公上 公门 公山 公坚 左丘 公伯 西门 公祖 第五 公乘 " +
		"贯丘 公皙 南荣 东里 东宫 仲长 子书 子桑 即墨 达奚 褚师 淳于 单于 " +
		"歐陽 司馬 諸葛 東方 尉遲 公孫 長孫 令狐 軒轅 鍾離 澹臺 濮陽 單于 聞人 " +
		"上官 皇甫 慕容 宇文 司徒 夏侯 端木 獨孤 南宮 西門 百里 呼延 申屠"
	m := map[string]bool{}
	for _, s := range strings.Fields(list) {
		m[s] = true
	}
	return m
}()

// MaskName masks a person's name per GB/T 41833-2022: at least one character
// is always hidden. A Chinese name keeps its surname (one character, or two
// for a compound surname such as 欧阳) and stars the given name: 张三 → 张*,
// 张三丰 → 张**, 欧阳娜娜 → 欧阳**; a one-character name becomes "*" and a
// two-character name that is a compound surname alone keeps only its first
// character. Any other name keeps its first character and stars the rest.
// Leading and trailing spaces are dropped. For non-empty input the result
// never equals the input; an empty or all-space name gives "".
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return ""
	}
	first, size := utf8.DecodeRuneInString(name)
	keep := 1
	if n == 1 {
		keep = 0
	} else if unicode.Is(unicode.Han, first) && n >= 3 {
		_, size2 := utf8.DecodeRuneInString(name[size:])
		if compoundSurnames[name[:size+size2]] {
			keep = 2
		}
	}
	var b strings.Builder
	i := 0
	for _, r := range name {
		if i >= keep {
			break
		}
		b.WriteRune(r)
		i++
	}
	b.WriteString(stars(n - keep))
	out := b.String()
	if out == name {
		// The input was already starred (e.g. "张*"); never hand it back
		// unchanged, so a caller can't mistake it for unmasked data.
		out += "*"
	}
	return out
}
