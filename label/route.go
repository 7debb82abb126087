package label

import (
	"strings"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
)

// provinceAbbr holds the one-character abbreviations (简称) sorting staff read
// first, keyed by the GB/T 2260 province code.
var provinceAbbr = map[string]string{
	"11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙",
	"21": "辽", "22": "吉", "23": "黑",
	"31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁",
	"41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
	"50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏",
	"61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
	"71": "台", "81": "港", "82": "澳",
}

// routeOf returns the routing line (浙-金华-义乌) and the most precise
// division code (330782) of a destination.
func routeOf(r yuncang.Region) (route, code string, err error) {
	if r.ProvinceCode == "" || r.CityCode == "" && r.DistrictCode == "" {
		return "", "", yuncang.Invalid("destination", "needs at least a province and a city")
	}
	for _, c := range []string{r.ProvinceCode, r.CityCode, r.DistrictCode} {
		if !allASCIIDigits(c) || len(c) > 12 {
			return "", "", yuncang.Invalid("destination", "division codes must be digits")
		}
	}
	for _, n := range []string{r.Province, r.City, r.District} {
		if hasDigit(n) || utf8.RuneCountInString(n) > 32 {
			return "", "", yuncang.Invalid("destination", "division names must be names")
		}
	}
	parts := make([]string, 0, 3)
	p := provinceAbbr[r.ProvinceCode[:min(2, len(r.ProvinceCode))]]
	if p == "" {
		p = shortDivision(r.Province)
	}
	parts = append(parts, p)
	if c := shortDivision(r.City); c != "" {
		parts = append(parts, c)
	}
	if d := shortDivision(r.District); d != "" && d != parts[len(parts)-1] {
		parts = append(parts, d)
	}
	code = r.DistrictCode
	if code == "" {
		code = r.CityCode
	}
	return strings.Join(parts, "-"), code, nil
}

// shortDivision drops the administrative suffix a sorter doesn't need:
// 金华市 → 金华, 恩施土家族苗族自治州 → 恩施, 锡林郭勒盟 → 锡林郭勒. Names
// that would become a single character (城区, 郊区) stay whole.
func shortDivision(name string) string {
	if i := strings.Index(name, "自治"); i > 0 {
		r := []rune(name[:i])
		return string(r[:min(2, len(r))])
	}
	for _, suf := range []string{"特别行政区", "地区", "林区", "市", "区", "县", "盟", "旗", "省"} {
		if s, ok := strings.CutSuffix(name, suf); ok && utf8.RuneCountInString(s) >= 2 {
			return s
		}
	}
	return name
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
