package pii

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

func TestDivisionData(t *testing.T) {
	ix, err := divisions()
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.provinces) != 31 {
		t.Errorf("%d provinces, want 31", len(ix.provinces))
	}
	if ix.count[levelCity] < 300 || ix.count[levelDistrict] < 2800 || ix.count[levelStreet] < 40000 {
		t.Errorf("division counts %v look short", ix.count)
	}
	var walk func(d *division)
	walk = func(d *division) {
		if d.parent != nil && !strings.HasPrefix(d.code, d.parent.code) {
			t.Errorf("%s %s is not under %s %s", d.code, d.name, d.parent.code, d.parent.name)
		}
		for _, c := range d.children {
			walk(c)
		}
	}
	for _, p := range ix.provinces {
		walk(p)
	}
	if _, err := buildIndex([]byte(`[{"code":"330","name":"浙江省"}]`)); err == nil {
		t.Error("buildIndex accepted a 3-digit province code")
	}
	if _, err := buildIndex([]byte(`{`)); err == nil {
		t.Error("buildIndex accepted broken JSON")
	}
}

func TestShortName(t *testing.T) {
	tests := []struct {
		name  string
		level int8
		want  string
	}{
		{"浙江省", levelProvince, "浙江"},
		{"北京市", levelProvince, "北京"},
		{"广西壮族自治区", levelProvince, "广西"},
		{"内蒙古自治区", levelProvince, "内蒙古"},
		{"新疆维吾尔自治区", levelProvince, "新疆"},
		{"宁夏回族自治区", levelProvince, "宁夏"},
		{"西藏自治区", levelProvince, "西藏"},
		{"黑龙江省", levelProvince, "黑龙江"},
		{"杭州市", levelCity, "杭州"},
		{"恩施土家族苗族自治州", levelCity, "恩施"},
		{"克孜勒苏柯尔克孜自治州", levelCity, "克孜勒苏"},
		{"伊犁哈萨克自治州", levelCity, "伊犁"},
		{"海西蒙古族藏族自治州", levelCity, "海西"},
		{"阿克苏地区", levelCity, "阿克苏"},
		{"兴安盟", levelCity, "兴安"},
		{"义乌市", levelDistrict, "义乌"},
		{"西湖区", levelDistrict, "西湖"},
		{"浦东新区", levelDistrict, "浦东"},
		{"神农架林区", levelDistrict, "神农架"},
		{"六枝特区", levelDistrict, "六枝"},
		{"木里藏族自治县", levelDistrict, "木里"},
		{"积石山保安族东乡族撒拉族自治县", levelDistrict, "积石山"},
		{"莫力达瓦达斡尔族自治旗", levelDistrict, "莫力达瓦"},
		{"顺河回族区", levelDistrict, "顺河"},
		{"城区", levelDistrict, ""},
		{"忠县", levelDistrict, ""},
		{"苏州工业园区", levelDistrict, ""},
		{"杭州经济技术开发区", levelDistrict, ""},
		{"稠城街道", levelStreet, "稠城"},
		{"佛堂镇", levelStreet, "佛堂"},
		{"三河回族乡", levelStreet, "三河"},
		{"城镇", levelStreet, ""},
	}
	for _, tt := range tests {
		if got := shortName(tt.name, tt.level); got != tt.want {
			t.Errorf("shortName(%q, %d) = %q, want %q", tt.name, tt.level, got, tt.want)
		}
	}
}

func TestTrimDistrictPrefix(t *testing.T) {
	tests := []struct{ name, district, want string }{
		{"济源市沁园街道", "济源市", "沁园街道"},
		{"济源市克井镇", "济源市", "克井镇"},
		{"高阳县经济开发区", "高阳县", "高阳县经济开发区"},
		{"稠城街道", "义乌市", "稠城街道"},
		{"青县镇", "青县", "青县镇"},
	}
	for _, tt := range tests {
		if got := trimDistrictPrefix(tt.name, tt.district); got != tt.want {
			t.Errorf("trimDistrictPrefix(%q, %q) = %q, want %q", tt.name, tt.district, got, tt.want)
		}
	}
}

// TestParseAddressTieBreaks uses a made-up tree to pin down how equal
// readings are settled.
func TestParseAddressTieBreaks(t *testing.T) {
	ix, err := buildIndex([]byte(`[
	 {"code":"91","name":"甲省","children":[
	  {"code":"9101","name":"乙市","children":[
	   {"code":"910101","name":"丙丁区","children":[
	    {"code":"910101001","name":"城关镇"},
	    {"code":"910101002","name":"城关街道"},
	    {"code":"910101003","name":"东风街道"},
	    {"code":"910101004","name":"东风乡"}]},
	   {"code":"910102","name":"戊己区","children":[]}]},
	  {"code":"9102","name":"庚市","children":[
	   {"code":"910201","name":"丙丁区","children":[]}]}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, code, err string }{
		{"乙市丙丁区城关镇1号", "910101001", ""}, // the full name beats 城关 + 镇
		{"乙市丙丁区城关街道1号", "910101002", ""},
		{"乙市丙丁区城关街办1号", "910101", ""}, // 城关 + 街办 fits both
		{"乙市丙丁区东风镇1号", "910101", ""},  // 东风街道 or 东风乡: stop at the district
		{"乙市丙丁1号", "910101", ""},
		{"甲省 乙市 丙丁区", "910101", ""},
		{"丙丁区1号", "", "district name is ambiguous"},
		{"甲省丙丁区1号", "", "district name is ambiguous"},
		{"甲省戊己区1号", "910102", ""},
		{"戊己路1号", "", "no province"}, // a road named after a district
	}
	for _, tt := range tests {
		a, err := ix.parseAddress(tt.in)
		code := a.StreetCode
		if code == "" {
			code = a.DistrictCode
		}
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseAddress(%q) = %+v, %v; want error %q", tt.in, a, err, tt.err)
			}
			continue
		}
		if err != nil || code != tt.code {
			t.Errorf("parseAddress(%q) = %s, %v; want %s", tt.in, code, err, tt.code)
		}
	}
}

func TestLookupCode(t *testing.T) {
	tests := []struct {
		code string
		want yuncang.Region
	}{
		{"33", yuncang.Region{Province: "浙江省", ProvinceCode: "33"}},
		{"11", yuncang.Region{Province: "北京市", ProvinceCode: "11", City: "北京市", CityCode: "1101"}},
		{"3307", yuncang.Region{Province: "浙江省", ProvinceCode: "33", City: "金华市", CityCode: "3307"}},
		{"330782001", yuncang.Region{Province: "浙江省", ProvinceCode: "33", City: "金华市", CityCode: "3307",
			District: "义乌市", DistrictCode: "330782", Street: "稠城街道", StreetCode: "330782001"}},
		{"500229", yuncang.Region{Province: "重庆市", ProvinceCode: "50", City: "重庆市", CityCode: "5002",
			District: "城口县", DistrictCode: "500229"}},
		{"429004", yuncang.Region{Province: "湖北省", ProvinceCode: "42", City: "仙桃市", CityCode: "4290",
			District: "仙桃市", DistrictCode: "429004"}},
		{"4290", yuncang.Region{Province: "湖北省", ProvinceCode: "42"}},
	}
	for _, tt := range tests {
		got, ok := LookupCode(tt.code)
		if !ok || got != tt.want {
			t.Errorf("LookupCode(%q) = %+v, %v; want %+v", tt.code, got, ok, tt.want)
		}
	}
	for _, code := range []string{"", "330000", "99", "3307820019"} {
		if r, ok := LookupCode(code); ok {
			t.Errorf("LookupCode(%q) = %+v, want not found", code, r)
		}
	}
}
