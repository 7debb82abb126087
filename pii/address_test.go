package pii

import (
	"strings"
	"testing"
	"unicode"

	"github.com/yuncang/yuncang"
)

// addressTests are real-looking addresses and how they resolve. codes is
// "street|district|city"; the province code is checked as the first two
// digits of the city code.
var addressTests = []struct {
	in, province, city, district, street, codes, detail string
}{
	// Full names, short names, missing levels.
	{"浙江省金华市义乌市稠城街道工人北路100号3幢2单元501室", "浙江省", "金华市", "义乌市", "稠城街道", "330782001|330782|3307", "工人北路100号3幢2单元501室"},
	{"义乌市稠城街道工人北路100号", "浙江省", "金华市", "义乌市", "稠城街道", "330782001|330782|3307", "工人北路100号"},
	{"浙江义乌稠城镇宾王路88号", "浙江省", "金华市", "义乌市", "稠城街道", "330782001|330782|3307", "宾王路88号"},
	{"金华义乌市佛堂镇老街1号", "浙江省", "金华市", "义乌市", "佛堂镇", "330782100|330782|3307", "老街1号"},
	{"杭州西湖区文三路478号", "浙江省", "杭州市", "西湖区", "", "|330106|3301", "文三路478号"},
	{"浙江省 杭州市 西湖区 西溪街道 文三路 100号 1幢2单元301室", "浙江省", "杭州市", "西湖区", "西溪街道", "330106004|330106|3301", "文三路 100号 1幢2单元301室"},
	{"浙江省，杭州市，西湖区，文三路100号", "浙江省", "杭州市", "西湖区", "", "|330106|3301", "文三路100号"},
	{"浙江省杭州市西湖区西湖大道1号", "浙江省", "杭州市", "西湖区", "", "|330106|3301", "西湖大道1号"},
	{"杭州市三墩镇振华路", "浙江省", "杭州市", "西湖区", "三墩镇", "330106109|330106|3301", "振华路"},
	{"西湖区留下街道留和路", "浙江省", "杭州市", "西湖区", "留下街道", "330106009|330106|3301", "留和路"},
	{"中国浙江省杭州市", "浙江省", "杭州市", "", "", "||3301", ""},
	{"广东省深圳市南山区粤海街道科技园路1号", "广东省", "深圳市", "南山区", "粤海街道", "440305007|440305|4403", "科技园路1号"},
	{"广州天河区天河路385号", "广东省", "广州市", "天河区", "", "|440106|4401", "天河路385号"},
	{"江苏省南京市鼓楼区湖南路街道中山北路", "江苏省", "南京市", "鼓楼区", "湖南路街道", "320106003|320106|3201", "中山北路"},
	{"南京鼓楼区中山路1号", "江苏省", "南京市", "鼓楼区", "", "|320106|3201", "中山路1号"},
	{"福建福州鼓楼区五四路", "福建省", "福州市", "鼓楼区", "", "|350102|3501", "五四路"},
	{"苏州工业园区星湖街", "江苏省", "苏州市", "苏州工业园区", "", "|320576|3205", "星湖街"},
	{"江宁区秣陵街道", "江苏省", "南京市", "江宁区", "秣陵街道", "320115002|320115|3201", ""},
	{"吉林市船营区", "吉林省", "吉林市", "船营区", "", "|220204|2202", ""},
	{"吉林长春朝阳区", "吉林省", "长春市", "朝阳区", "", "|220104|2201", ""},
	{"长春市朝阳区人民大街", "吉林省", "长春市", "朝阳区", "", "|220104|2201", "人民大街"},
	{"山东省青岛市市南区香港中路", "山东省", "青岛市", "市南区", "", "|370202|3702", "香港中路"},
	{"辽宁省沈阳市和平区", "辽宁省", "沈阳市", "和平区", "", "|210102|2101", ""},
	{"陕西西安雁塔区", "陕西省", "西安市", "雁塔区", "", "|610113|6101", ""},
	{"海南海口美兰区", "海南省", "海口市", "美兰区", "", "|460108|4601", ""},
	// Municipalities: the city is the municipality.
	{"北京市东城区东华门街道南池子大街1号", "北京市", "北京市", "东城区", "东华门街道", "110101001|110101|1101", "南池子大街1号"},
	{"北京北京市朝阳区三里屯街道工体北路8号", "北京市", "北京市", "朝阳区", "三里屯街道", "110105004|110105|1101", "工体北路8号"},
	{"朝阳区三里屯街道工体北路8号", "北京市", "北京市", "朝阳区", "三里屯街道", "110105004|110105|1101", "工体北路8号"},
	{"北京市海淀区中关村大街27号", "北京市", "北京市", "海淀区", "", "|110108|1101", "中关村大街27号"},
	{"上海 浦东新区 世纪大道100号", "上海市", "上海市", "浦东新区", "", "|310115|3101", "世纪大道100号"},
	{"上海市黄浦区南京东路300号", "上海市", "上海市", "黄浦区", "", "|310101|3101", "南京东路300号"},
	{"上海市南京路100号", "上海市", "上海市", "", "", "||3101", "南京路100号"},
	{"天津市滨海新区新港街道", "天津市", "天津市", "滨海新区", "新港街道", "120116012|120116|1201", ""},
	{"天津和平区成都道100号", "天津市", "天津市", "和平区", "", "|120101|1201", "成都道100号"},
	{"重庆市渝中区解放碑街道民族路", "重庆市", "重庆市", "渝中区", "解放碑街道", "500103003|500103|5001", "民族路"},
	{"重庆 重庆市 城口县 葛城街道", "重庆市", "重庆市", "城口县", "葛城街道", "500229001|500229|5002", ""},
	{"重庆市万州区", "重庆市", "重庆市", "万州区", "", "|500101|5001", ""},
	// Cities with no districts: the data repeats the city at district level.
	{"广东省东莞市长安镇振安路", "广东省", "东莞市", "东莞市", "长安镇", "441900119|441900|4419", "振安路"},
	{"广东中山石岐街道孙文中路", "广东省", "中山市", "中山市", "石岐街道", "442000001|442000|4420", "孙文中路"},
	{"甘肃嘉峪关市", "甘肃省", "嘉峪关市", "嘉峪关市", "", "|620201|6202", ""},
	// County-level cities administered by the province.
	{"河南省济源市沁园街道", "河南省", "济源市", "济源市", "沁园街道", "419001001|419001|4190", ""},
	{"河南济源", "河南省", "济源市", "济源市", "", "|419001|4190", ""},
	{"湖北仙桃沙嘴街道", "湖北省", "仙桃市", "仙桃市", "沙嘴街道", "429004001|429004|4290", ""},
	{"湖北神农架林区", "湖北省", "神农架林区", "神农架林区", "", "|429021|4290", ""},
	{"海南省琼海市嘉积镇", "海南省", "琼海市", "琼海市", "嘉积镇", "469002100|469002|4690", ""},
	{"新疆石河子市", "新疆维吾尔自治区", "石河子市", "石河子市", "", "|659001|6590", ""},
	// Autonomous regions, prefectures, leagues.
	{"广西南宁市青秀区民族大道100号", "广西壮族自治区", "南宁市", "青秀区", "", "|450103|4501", "民族大道100号"},
	{"广西壮族自治区桂林市秀峰区", "广西壮族自治区", "桂林市", "秀峰区", "", "|450302|4503", ""},
	{"内蒙古呼和浩特市赛罕区", "内蒙古自治区", "呼和浩特市", "赛罕区", "", "|150105|1501", ""},
	{"内蒙古兴安盟乌兰浩特市", "内蒙古自治区", "兴安盟", "乌兰浩特市", "", "|152201|1522", ""},
	{"新疆乌鲁木齐市天山区", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", "", "|650102|6501", ""},
	{"新疆维吾尔自治区伊犁州伊宁市", "新疆维吾尔自治区", "伊犁哈萨克自治州", "伊宁市", "", "|654002|6540", ""},
	{"宁夏银川兴庆区解放西街", "宁夏回族自治区", "银川市", "兴庆区", "", "|640104|6401", "解放西街"},
	{"西藏拉萨市城关区北京中路", "西藏自治区", "拉萨市", "城关区", "", "|540102|5401", "北京中路"},
	{"西藏日喀则市桑珠孜区", "西藏自治区", "日喀则市", "桑珠孜区", "", "|540202|5402", ""},
	{"湖北省恩施土家族苗族自治州利川市", "湖北省", "恩施土家族苗族自治州", "利川市", "", "|422802|4228", ""},
	{"恩施州恩施市", "湖北省", "恩施土家族苗族自治州", "恩施市", "", "|422801|4228", ""},
	{"延边州延吉市", "吉林省", "延边朝鲜族自治州", "延吉市", "", "|222401|2224", ""},
	{"黑龙江省大兴安岭地区漠河市", "黑龙江省", "大兴安岭地区", "漠河市", "", "|232701|2327", ""},
	{"四川省甘孜藏族自治州康定市", "四川省", "甘孜藏族自治州", "康定市", "", "|513301|5133", ""},
	{"云南西双版纳景洪", "云南省", "西双版纳傣族自治州", "景洪市", "", "|532801|5328", ""},
	{"青海海西州格尔木市", "青海省", "海西蒙古族藏族自治州", "格尔木市", "", "|632801|6328", ""},
}

func TestParseAddress(t *testing.T) {
	for _, tt := range addressTests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", tt.in, err)
			continue
		}
		codes := a.StreetCode + "|" + a.DistrictCode + "|" + a.CityCode
		if a.Province != tt.province || a.City != tt.city || a.District != tt.district ||
			a.Street != tt.street || codes != tt.codes || a.Detail != tt.detail {
			t.Errorf("ParseAddress(%q) =\n  %s %s %s %s %s %q\nwant\n  %s %s %s %s %s %q", tt.in,
				a.Province, a.City, a.District, a.Street, codes, a.Detail,
				tt.province, tt.city, tt.district, tt.street, tt.codes, tt.detail)
		}
		checkCodes(t, tt.in, a)
	}
}

// checkCodes checks code lengths and that each code extends the one above.
func checkCodes(t *testing.T, in string, a Address) {
	t.Helper()
	if len(a.ProvinceCode) != 2 || len(a.CityCode) != 4 || !strings.HasPrefix(a.CityCode, a.ProvinceCode) {
		t.Errorf("ParseAddress(%q): province/city codes %q %q", in, a.ProvinceCode, a.CityCode)
	}
	if a.DistrictCode != "" && (len(a.DistrictCode) != 6 || !strings.HasPrefix(a.DistrictCode, a.CityCode)) {
		t.Errorf("ParseAddress(%q): district code %q under city %q", in, a.DistrictCode, a.CityCode)
	}
	if a.StreetCode != "" && (len(a.StreetCode) != 9 || !strings.HasPrefix(a.StreetCode, a.DistrictCode)) {
		t.Errorf("ParseAddress(%q): street code %q under district %q", in, a.StreetCode, a.DistrictCode)
	}
}

func TestParseAddressErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "is empty"},
		{"  \t ", "is empty"},
		{"幸福路8号", "no province, city or district could be recognised"},
		{"北京路100号", "no province, city or district could be recognised"}, // a road, not 北京
		{"中山路100号3单元", "no province, city or district could be recognised"},
		{"火星市水星区1号", "no province, city or district could be recognised"},
		{"香港特别行政区中环皇后大道中1号", "no province, city or district could be recognised"},
		{"12345", "no province, city or district could be recognised"},
		{"浙江省幸福路8号", "no city or district could be recognised"},
		{"重庆市解放碑88号", "no city or district could be recognised"}, // 重庆 has two city-level codes
		{"朝阳区建国路88号", "district name is ambiguous"},
		{"鼓楼区中山路1号", "district name is ambiguous"},
		{"西湖区文三路", "district name is ambiguous"},
		{"新华区", "district name is ambiguous"},
		{"河北省新华区", "district name is ambiguous"}, // 石家庄 and 沧州 both have one
		{"朝阳", "name is ambiguous"},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err == nil {
			t.Errorf("ParseAddress(%q) = %+v, want error %q", tt.in, a, tt.want)
			continue
		}
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != "address" {
			t.Errorf("ParseAddress(%q): error %v is not invalid/address", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAddress(%q) error = %q, want %q", tt.in, err, tt.want)
		}
		for _, r := range err.Error() {
			if unicode.Is(unicode.Han, r) || unicode.IsDigit(r) {
				t.Errorf("ParseAddress(%q) error %q may echo the input", tt.in, err)
				break
			}
		}
	}
}

func TestAddressMasked(t *testing.T) {
	tests := []struct{ in, want string }{
		{"浙江省金华市义乌市稠城街道工人北路100号3幢2单元501室", "浙江省金华市义乌市稠城街道****"},
		{"杭州西湖区文三路478号", "浙江省杭州市西湖区****"},
		{"北京市东城区东华门街道南池子大街1号", "北京市东城区东华门街道****"},
		{"广东省东莞市长安镇振安路", "广东省东莞市长安镇****"},
		{"湖北仙桃沙嘴街道", "湖北省仙桃市沙嘴街道"},
		{"上海市南京路100号", "上海市****"},
	}
	for _, tt := range tests {
		a, err := ParseAddress(tt.in)
		if err != nil {
			t.Fatalf("ParseAddress(%q): %v", tt.in, err)
		}
		if got := a.Masked(); got != tt.want {
			t.Errorf("Masked(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, tt := range addressTests {
		a, _ := ParseAddress(tt.in)
		m := a.Masked()
		if strings.ContainsAny(m, "0123456789") || a.Detail != "" && strings.Contains(m, a.Detail) {
			t.Errorf("Masked(%q) = %q shows the detail", tt.in, m)
		}
		if a.Detail != "" && !strings.HasSuffix(m, maskMarker) {
			t.Errorf("Masked(%q) = %q has no marker", tt.in, m)
		}
	}
	if got := (Address{}).Masked(); got != "" {
		t.Errorf("zero Address masks to %q", got)
	}
}

func TestAddressRegion(t *testing.T) {
	a, err := ParseAddress("浙江义乌稠城镇宾王路88号")
	if err != nil {
		t.Fatal(err)
	}
	want := yuncang.Region{Province: "浙江省", ProvinceCode: "33", City: "金华市", CityCode: "3307",
		District: "义乌市", DistrictCode: "330782", Street: "稠城街道", StreetCode: "330782001"}
	if got := a.Region(); got != want {
		t.Errorf("Region = %+v, want %+v", got, want)
	}
}

// TestParseAddressAllStreets writes every street of the data in full, and in
// the shortest forms with spaces, and checks each resolves to its own code.
func TestParseAddressAllStreets(t *testing.T) {
	ix, err := divisions()
	if err != nil {
		t.Fatal(err)
	}
	n, fails := 0, 0
	fail := func(format string, args ...any) {
		fails++
		if fails <= 20 {
			t.Errorf(format, args...)
		}
	}
	for _, p := range ix.provinces {
		for _, c := range p.children {
			city, cityShort := c.name, c.short
			if c.municipal || c.direct {
				city, cityShort = "", ""
			}
			for _, d := range c.children {
				for _, st := range d.children {
					n++
					full := p.name + city + d.name + st.name + "幸福路8号"
					a, err := ParseAddress(full)
					if err != nil || a.StreetCode != st.code || a.Detail != "幸福路8号" {
						fail("ParseAddress(%q) = %s %q, %v; want %s", full, a.StreetCode, a.Detail, err, st.code)
					}
					short := or(p.short, p.name) + " " + cityShort + " " + or(d.short, d.name) + " " + st.name + " 幸福路8号"
					a, err = ParseAddress(short)
					if err != nil || a.StreetCode != st.code {
						fail("ParseAddress(%q) = %s, %v; want %s", short, a.StreetCode, err, st.code)
					}
					// Without province and city the district may be
					// ambiguous, but it must never resolve wrongly.
					bare := d.name + st.name + "幸福路8号"
					a, err = ParseAddress(bare)
					if err == nil && a.StreetCode != st.code {
						fail("ParseAddress(%q) = %s, want %s or an error", bare, a.StreetCode, st.code)
					}
				}
			}
		}
	}
	if n < 40000 {
		t.Errorf("only %d streets in the data", n)
	}
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func BenchmarkParseAddress(b *testing.B) {
	if _, err := divisions(); err != nil {
		b.Fatal(err)
	}
	var in []string
	for _, tt := range addressTests {
		in = append(in, tt.in)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseAddress(in[i%len(in)]); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, tt := range addressTests {
		f.Add(tt.in)
	}
	f.Add("朝阳区建国路88号")
	f.Add("\xff浙江\x00义乌")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			if yuncang.ErrorCode(err) != yuncang.EINVALID {
				t.Fatalf("ParseAddress(%q): %v", s, err)
			}
			return
		}
		checkCodes(t, s, a)
		// The masked form is the division names and, for any detail, the
		// marker: nothing of the detail itself.
		want := ""
		for _, n := range []string{a.Province, a.City, a.District, a.Street} {
			if !strings.HasSuffix(want, n) {
				want += n
			}
		}
		if a.Detail != "" {
			want += maskMarker
		}
		if got := a.Masked(); got != want {
			t.Fatalf("ParseAddress(%q).Masked() = %q, want %q", s, got, want)
		}
	})
}
