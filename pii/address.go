package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
)

// Address is a free-form Chinese address resolved against the GB/T 2260
// divisions. Codes are the data's: 2 digits for a province, 4 for a city, 6
// for a district, 9 for a street (see division). Street and StreetCode are
// empty when the text names no known 乡镇/街道 of the district; Detail is the
// rest of the text (road, house, unit, room) as written.
//
// The City of a municipality (北京, 天津, 上海, 重庆) is the municipality's
// name; CityCode is the data's code for its city level (1101, or 5002 for
// 重庆's counties). The City of a county-level city administered directly by
// its province (河南 济源, 湖北 仙桃, 海南 琼海, 新疆 石河子 …) is that
// city's own name, as e-commerce address books show it, and CityCode is the
// data's grouping code (4190, 4290, 4690, 6590); District is the same city.
type Address struct {
	Province, ProvinceCode string
	City, CityCode         string
	District, DistrictCode string
	Street, StreetCode     string
	Detail                 string
}

// maskMarker replaces the detail of an address. It is fixed so that it says
// nothing about the length of what it hides.
const maskMarker = "****"

// Masked returns the GB/T 41833 display form: the province, city, district
// and street names, then "****" in place of the detail, which holds the road
// and house, unit and room numbers: 浙江省金华市义乌市稠城街道****. A name
// repeated at the next level (北京市北京市, 东莞市东莞市) is shown once. With
// no detail there is nothing to hide and no marker.
func (a Address) Masked() string {
	var b strings.Builder
	last := ""
	for _, n := range [...]string{a.Province, a.City, a.District, a.Street} {
		if n != "" && n != last {
			b.WriteString(n)
			last = n
		}
	}
	if a.Detail != "" {
		b.WriteString(maskMarker)
	}
	return b.String()
}

// Region returns the address's divisions without the detail.
func (a Address) Region() yuncang.Region {
	return yuncang.Region{
		Province: a.Province, ProvinceCode: a.ProvinceCode,
		City: a.City, CityCode: a.CityCode,
		District: a.District, DistrictCode: a.DistrictCode,
		Street: a.Street, StreetCode: a.StreetCode,
	}
}

// ParseAddress resolves a free-form mainland Chinese address to province,
// city, district and street, with their codes, and the remaining detail.
//
// Each level may be written in full or short (浙江省/浙江, 广西壮族自治区/
// 广西, 恩施土家族苗族自治州/恩施州/恩施, 义乌市/义乌, 稠城街道 or 稠城镇 for
// a street), separated by nothing, spaces or punctuation, and higher levels
// may be missing when the lower ones determine them (义乌市稠城街道… →
// 浙江省 金华市 义乌市). Where a name fits several divisions, the reading that
// matches most of the text wins, so a province, city or street in the text
// picks the right 鼓楼区; when that still leaves two different places the
// address is rejected as ambiguous rather than guessed. A short name directly
// followed by 路, 街, 道, 巷, 弄, 大道, 大街, 胡同 or 广场 is read as a road
// name, unless the next level follows it.
//
// The address must determine at least a city. Errors are yuncang.Invalid on
// field "address" and never contain any of the input. After the division data
// is loaded (once, on first use) a call takes a few microseconds and does not
// allocate beyond the result.
func ParseAddress(s string) (Address, error) {
	ix, err := divisions()
	if err != nil {
		return Address{}, yuncang.Internal(err, "loading division data")
	}
	return ix.parseAddress(s)
}

// LookupCode returns the divisions a code names, as ParseAddress would report
// them: codes as the data gives them (2, 4, 6 or 9 digits; see Address). The
// grouping codes of county-level cities under a province (4190, 4290, 4690,
// 6590) name no city and give just the province.
func LookupCode(code string) (yuncang.Region, bool) {
	ix, err := divisions()
	if err != nil {
		return yuncang.Region{}, false
	}
	d, ok := ix.byCode[code]
	if !ok {
		return yuncang.Region{}, false
	}
	return d.address().Region(), true
}

func (ix *divisionIndex) parseAddress(s string) (Address, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Address{}, yuncang.Invalid("address", "is empty")
	}
	pos := skipSeps(s, 0)
	for _, p := range [...]string{"中华人民共和国", "中国大陆", "中国"} {
		if strings.HasPrefix(s[pos:], p) {
			pos = skipSeps(s, pos+len(p))
			break
		}
	}
	res := ix.best(s, pos, nil)
	if res.deep == nil {
		if res.ambiguous != 0 {
			return Address{}, ambiguousError(res.ambiguous)
		}
		return Address{}, yuncang.Invalid("address", "no province, city or district could be recognised")
	}
	a := res.deep.address()
	if a.City == "" {
		if res.ambiguous != 0 {
			return Address{}, ambiguousError(res.ambiguous)
		}
		return Address{}, yuncang.Invalid("address", "no city or district could be recognised")
	}
	a.Detail = strings.TrimSpace(s[skipSeps(s, res.end):])
	return a, nil
}

// address returns d and the divisions above it as an Address without detail.
// See Address for how municipalities and the county-level cities under a
// province fill the city level; a province with a single city (北京, 天津,
// 上海) fills it too.
func (d *division) address() Address {
	var a Address
	var city *division
	for n := d; n != nil; n = n.parent {
		switch n.level {
		case levelStreet:
			a.Street, a.StreetCode = n.name, n.code
		case levelDistrict:
			a.District, a.DistrictCode = n.name, n.code
		case levelCity:
			city = n
		case levelProvince:
			a.Province, a.ProvinceCode = n.name, n.code
			if city == nil && len(n.children) == 1 {
				city = n.children[0] // 北京, 天津, 上海
			}
		}
	}
	switch {
	case city == nil:
	case city.municipal:
		a.City, a.CityCode = a.Province, city.code
	case city.direct:
		if a.District != "" {
			a.City, a.CityCode = a.District, city.code
		}
	default:
		a.City, a.CityCode = city.name, city.code
	}
	return a
}

func ambiguousError(level int8) error {
	switch level {
	case levelCity:
		return yuncang.Invalid("address", "city name is ambiguous without a province")
	case levelDistrict:
		return yuncang.Invalid("address", "district name is ambiguous without a province or city")
	}
	return yuncang.Invalid("address", "division name is ambiguous")
}

// parse is the outcome of reading divisions from some position on.
type parse struct {
	deep      *division // the lowest division read (or the context)
	end       int       // byte offset just after it
	score     int       // how much text the reading explains; see cand
	ambiguous int8      // level of the names that tied, 0 if none
}

// cand is a division named at some position of the text.
type cand struct {
	d     *division
	end   int
	score int // 2 per rune matched, +1 for a full name over a short one
	short bool
}

// best finds the reading of s from pos on, below ctx, that explains the most
// text. The depth of the search is bounded by the four levels and its
// breadth by the few divisions one name can refer to.
func (ix *divisionIndex) best(s string, pos int, ctx *division) parse {
	res := parse{deep: ctx, end: pos}
	if ctx != nil && ctx.level == levelStreet {
		return res
	}
	p := skipSeps(s, pos)
	var buf [16]cand
	tied, resLevel := false, int8(0)
	for _, c := range ix.candidates(s, p, ctx, buf[:0]) {
		sub := ix.best(s, c.end, c.d)
		if c.short && sub.score == 0 && roadAhead(s[c.end:]) {
			continue // 中山路, 西湖大道: a road named after a place
		}
		sub.score += c.score
		switch {
		case sub.score > res.score:
			res, tied, resLevel = sub, false, c.d.level
		case sub.score < res.score:
		case tied:
			res.ambiguous = min(res.ambiguous, c.d.level)
		case sub.deep == res.deep || within(res.deep, sub.deep):
			// The same place, or a deeper reading of it, is already held.
		case within(sub.deep, res.deep):
			res, resLevel = sub, c.d.level
		default:
			// Two different places explain the text equally well: stop
			// above the name that could be either, and say so.
			tied = true
			res = parse{deep: ctx, end: pos, score: sub.score, ambiguous: min(resLevel, c.d.level)}
		}
	}
	return res
}

// candidates appends the divisions below ctx named at p in s.
func (ix *divisionIndex) candidates(s string, p int, ctx *division, out []cand) []cand {
	var ctxLevel int8
	if ctx != nil {
		ctxLevel = ctx.level
	}
	if ctxLevel < levelDistrict {
		node, runes := int32(0), 0
		for q := p; q < len(s); {
			r, size := utf8.DecodeRuneInString(s[q:])
			child, ok := ix.edges[edgeKey(node, r)]
			if !ok {
				break
			}
			node, q, runes = child, q+size, runes+1
			for _, e := range ix.terms[node] {
				if e.d.level <= ctxLevel || !within(e.d, ctx) || e.d.municipal && ctx == nil {
					// The municipality's city level only follows its province
					// (北京北京市…); on its own the province entry covers it.
					continue
				}
				c := cand{d: e.d, end: q, score: 2 * runes, short: e.short}
				if !e.short {
					c.score++
				}
				out = append(out, c)
			}
		}
	}
	switch {
	case ctxLevel == levelDistrict:
		out = streetCandidates(s, p, ctx, out)
	case ctxLevel == levelCity && len(out) == 0:
		// No district named: a street can still name it (杭州市三墩镇,
		// 东莞市长安镇).
		for _, d := range ctx.children {
			out = streetCandidates(s, p, d, out)
		}
	}
	return out
}

// streetSuffixes may follow a street's short name: the data's 稠城街道 is
// also written 稠城镇 or 稠城街办.
var streetSuffixes = []string{"街道办事处", "街道", "街办", "镇", "乡", "苏木"}

// streetCandidates appends the streets of district d named at p. A short
// name counts only with a level suffix, since bare short street names are
// often the start of a road or village name.
func streetCandidates(s string, p int, d *division, out []cand) []cand {
	rest := s[p:]
	r0, _ := utf8.DecodeRuneInString(rest)
	for _, st := range d.children {
		if st.first != r0 {
			continue
		}
		if strings.HasPrefix(rest, st.name) {
			out = append(out, cand{d: st, end: p + len(st.name), score: 2*int(st.nameLen) + 1})
			continue
		}
		if st.short != "" && strings.HasPrefix(rest, st.short) {
			after := rest[len(st.short):]
			for _, suf := range streetSuffixes {
				if strings.HasPrefix(after, suf) {
					n := int(st.shortLen) + utf8.RuneCountInString(suf)
					out = append(out, cand{d: st, end: p + len(st.short) + len(suf), score: 2 * n, short: true})
					break
				}
			}
		}
	}
	return out
}

// roadWords start road names; see ParseAddress.
var roadWords = []string{"路", "街", "道", "巷", "弄", "大道", "大街", "胡同", "广场"}

func roadAhead(s string) bool {
	for _, w := range roadWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// skipSeps returns the offset of the first rune at or after i that is not a
// space or punctuation used between the parts of an address.
func skipSeps(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune(",，、;；:：-－—_/|.。·", r):
		default:
			return i
		}
		i += size
	}
	return i
}
