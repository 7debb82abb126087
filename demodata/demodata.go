// Package demodata generates a realistic but entirely synthetic data set:
// merchants, warehouses in three provinces, SKUs, stock and orders whose
// recipients have plausible Chinese names, valid-looking mobile numbers and
// real GB/T 2260 districts with made-up roads and house numbers. The demo,
// the benchmarks and the tests use it; no real person's data is involved.
package demodata

import (
	"fmt"
	"math/rand/v2"

	"github.com/yuncang/yuncang"
)

// Merchants returns the demo merchants.
func Merchants() []*yuncang.Tenant {
	return []*yuncang.Tenant{
		{Code: "yiwu-goods", Name: "义乌优品小商品"},
		{Code: "hz-fresh", Name: "杭州鲜果铺"},
	}
}

// Warehouses returns three warehouses in different provinces.
func Warehouses() []*yuncang.Warehouse {
	return []*yuncang.Warehouse{
		{Code: "YW01", Name: "义乌国际商贸城云仓", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"},
		{Code: "GZ01", Name: "广州白云云仓", ProvinceCode: "44", CityCode: "4401", DistrictCode: "440111"},
		{Code: "CD01", Name: "成都双流云仓", ProvinceCode: "51", CityCode: "5101", DistrictCode: "510116"},
	}
}

type skuSpec struct {
	name    string
	weightG int
	volCM3  int
	temp    string
}

var skuSpecs = map[string][]skuSpec{
	"yiwu-goods": {
		{"毛绒小熊玩偶", 300, 6000, yuncang.TempAmbient}, {"儿童积木套装", 1200, 9000, yuncang.TempAmbient},
		{"保温杯 500ml", 450, 1800, yuncang.TempAmbient}, {"手机支架", 120, 400, yuncang.TempAmbient},
		{"圣诞装饰彩灯", 600, 3500, yuncang.TempAmbient}, {"收纳盒三件套", 900, 12000, yuncang.TempAmbient},
		{"数据线 1米", 60, 150, yuncang.TempAmbient}, {"雨伞 折叠", 350, 900, yuncang.TempAmbient},
	},
	"hz-fresh": {
		{"西湖龙井 250g", 300, 1500, yuncang.TempAmbient}, {"丽水香菇 500g", 520, 4000, yuncang.TempAmbient},
		{"杨梅 2斤装", 1100, 5000, yuncang.TempChilled}, {"水蜜桃 6只", 1600, 7000, yuncang.TempChilled},
		{"鲜牛奶 1L", 1050, 1100, yuncang.TempChilled}, {"冻虾仁 500g", 520, 900, yuncang.TempFrozen},
	},
}

// SKUs returns the demo SKUs of a merchant (TenantID left for the caller).
func SKUs(merchantCode string) []*yuncang.SKU {
	var out []*yuncang.SKU
	for i, s := range skuSpecs[merchantCode] {
		out = append(out, &yuncang.SKU{
			Code: fmt.Sprintf("%s-%03d", prefix(merchantCode), i+1), Barcode: fmt.Sprintf("69%011d", 1000000+i*7919+len(merchantCode)),
			Name: s.name, WeightG: s.weightG, VolumeCM3: s.volCM3, TempClass: s.temp,
		})
	}
	return out
}

func prefix(code string) string {
	if code == "hz-fresh" {
		return "HZF"
	}
	return "YWG"
}

// Generator produces orders deterministically from a seed.
type Generator struct {
	r *rand.Rand
	// seq is each merchant's last order number; gaps draws the numbers
	// it skips, from a stream of its own so that the rest of the data
	// set does not change with the numbering.
	seq  map[string]int
	gaps *rand.Rand
}

// NewGenerator returns a generator with a fixed seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		seq: map[string]int{}, gaps: rand.New(rand.NewPCG(seed^0x5851f42d4c957f2d, seed))}
}

// nextNumber is the merchant's next order number. Each merchant counts its
// own orders, as a shop system does, and now and then skips a few numbers
// (orders closed unpaid in the shop, or taken by another sales channel), so
// its numbers keep no step or parity a decoy would have to copy.
func (g *Generator) nextNumber(merchantCode string) int {
	n := g.seq[merchantCode] + 1
	if g.gaps.IntN(5) == 0 {
		n += 1 + g.gaps.IntN(3)
	}
	g.seq[merchantCode] = n
	return n
}

func (g *Generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

// Name returns a plausible Chinese full name.
func (g *Generator) Name() string {
	var s string
	if g.r.IntN(40) == 0 {
		s = g.pick(compoundSurnames)
	} else {
		s = g.pick(surnames)
	}
	n := 1 + g.r.IntN(2)
	for i := 0; i < n; i++ {
		s += g.pick(givenChars)
	}
	return s
}

// Phone returns an 11-digit mainland mobile number.
func (g *Generator) Phone() string {
	return fmt.Sprintf("%s%08d", g.pick(mobilePrefixes), g.r.IntN(100_000_000))
}

// Address returns a full street address down to the room number.
func (g *Generator) Address() string {
	p := places[g.r.IntN(len(places))]
	road := p.roads[g.r.IntN(len(p.roads))]
	num := 1 + g.r.IntN(1500)
	switch g.r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s%s%d号%d幢%d单元%d室", p.prefix, road, num, 1+g.r.IntN(30), 1+g.r.IntN(4), 100*(1+g.r.IntN(28))+1+g.r.IntN(4))
	case 1:
		return fmt.Sprintf("%s%s%d号%s%d号楼%d室", p.prefix, road, num, g.pick(estates), 1+g.r.IntN(20), 100*(1+g.r.IntN(18))+1+g.r.IntN(6))
	default:
		return fmt.Sprintf("%s %s%d号 %d-%d-%d", p.prefix, road, num, 1+g.r.IntN(12), 1+g.r.IntN(3), 100*(1+g.r.IntN(11))+1+g.r.IntN(2))
	}
}

// Remarks returns buyer remarks; some mention a phone number, as real ones do.
func (g *Generator) Remarks() string {
	switch g.r.IntN(6) {
	case 0:
		return "到了请打电话 " + g.Phone()
	case 1:
		return g.pick(remarks)
	case 2:
		return g.pick(remarks) + "，谢谢"
	}
	return ""
}

// Order returns an order of the merchant with 1–3 lines of its SKUs.
func (g *Generator) Order(merchantCode string) yuncang.OrderInput {
	n := g.nextNumber(merchantCode)
	skus := SKUs(merchantCode)
	lines := 1 + g.r.IntN(3)
	seen := map[int]bool{}
	var ls []yuncang.OrderLine
	for len(ls) < lines {
		i := g.r.IntN(len(skus))
		if seen[i] {
			continue
		}
		seen[i] = true
		ls = append(ls, yuncang.OrderLine{SKUCode: skus[i].Code, Quantity: 1 + g.r.IntN(3)})
	}
	return yuncang.OrderInput{
		MerchantOrderID: fmt.Sprintf("%s-%s-%06d", prefix(merchantCode), "20261128", n),
		Lines:           ls,
		Recipient:       yuncang.Recipient{Name: g.Name(), Phone: g.Phone(), Address: g.Address()},
		Remarks:         g.Remarks(),
	}
}
