package plan

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		field string
		edit  func(*Problem)
	}{
		{"now", func(p *Problem) { p.Now = "25:00" }},
		{"now", func(p *Problem) { p.Now = "+1:30" }},
		{"carriers[0].cutoff", func(p *Problem) { p.Carriers[0].Cutoff = "9:30" }},
		{"penalties.extra_parcel_fen", func(p *Problem) { p.Penalties.ExtraParcelFen = -1 }},
		{"zones[1].provinces[0]", func(p *Problem) {
			p.Zones = []Zone{{Code: "a", Provinces: []string{"31", "33", "44", "51"}}, {Code: "b", Provinces: []string{"31"}}}
		}},
		{"warehouses[0].province", func(p *Problem) {
			p.Zones = []Zone{{Code: "a", Provinces: []string{"33", "44", "51"}}}
		}},
		{"warehouses", func(p *Problem) { p.Warehouses = nil }},
		{"warehouses[1].code", func(p *Problem) { p.Warehouses[1].Code = "SH" }},
		{"warehouses[2].province", func(p *Problem) { p.Warehouses[2].Province = "71" }},
		{"warehouses[2].city", func(p *Problem) { p.Warehouses[2].City = "3301" }},
		{"warehouses[0].lat", func(p *Problem) { p.Warehouses[0].Lat, p.Warehouses[0].Lon = 48.85, 2.35 }},
		{"skus[0].weight_g", func(p *Problem) { p.SKUs[0].WeightG = 0 }},
		{"skus[1].volume_cm3", func(p *Problem) { p.SKUs[1].VolumeCM3 = -5 }},
		{"skus[2].temp", func(p *Problem) { p.SKUs[2].Temp = "warm" }},
		{"skus[3].code", func(p *Problem) { p.SKUs[3].Code = "S" }},
		{"stock[0].warehouse", func(p *Problem) { p.Stock[0].Warehouse = "XX" }},
		{"stock[0].sku", func(p *Problem) { p.Stock[0].SKU = "nope" }},
		{"stock[0].qty", func(p *Problem) { p.Stock[0].Qty = -1 }},
		{"stock[2]", func(p *Problem) { p.Stock = append(p.Stock, p.Stock[0]) }},
		{"stock[3]", func(p *Problem) { p.Stock = append(p.Stock, Stock{"GZ", "S", 0}, Stock{"GZ", "S", 1}) }},
		{"carriers", func(p *Problem) { p.Carriers = nil }},
		{"carriers[1].code", func(p *Problem) { p.Carriers[1].Code = "AMB" }},
		{"carriers[0].covers[1]", func(p *Problem) { p.Carriers[0].Covers = []string{"31", "99"} }},
		{"carriers[1].excludes[0]", func(p *Problem) { p.Carriers[1].Excludes = []string{"xx"} }},
		{"carriers[1].temps[0]", func(p *Problem) { p.Carriers[1].Temps = []string{"hot"} }},
		{"carriers[0].cutoff", func(p *Problem) { p.Carriers[0].Cutoff = "5pm" }},
		{"carriers[0].rates", func(p *Problem) { p.Carriers[0].Rates = nil }},
		{"carriers[0].rates[2].from", func(p *Problem) { p.Carriers[0].Rates[2].From = "mars" }},
		{"carriers[0].rates[3].to", func(p *Problem) { p.Carriers[0].Rates[3].To = "" }},
		{"carriers[0].rates[1].first_fen", func(p *Problem) { p.Carriers[0].Rates[1].FirstFen = -100 }},
		{"carriers[0].rates[1].days", func(p *Problem) { p.Carriers[0].Rates[1].Days = 1000 }},
		{"carriers[0].rates[1]", func(p *Problem) { p.Carriers[0].Rates[1] = p.Carriers[0].Rates[0] }},
		{"carriers[0]", func(p *Problem) { p.Carriers[0].MaxWeightG = -1 }},
		{"carriers[0].volume_divisor", func(p *Problem) { p.Carriers[0].VolumeDivisor = 1 }},
		{"carriers[1].step_g", func(p *Problem) { p.Carriers[1].StepG = 1 }},
		{"carriers[1].first_weight_g", func(p *Problem) { p.Carriers[1].FirstWeightG = -1000 }},
		{"carriers[0].rates[0].additional_fen", func(p *Problem) { p.Carriers[0].Rates[0].AdditionalFen = 1e7 }},
		{"orders[1].id", func(p *Problem) { p.Orders[1].ID = "a" }},
		{"orders[0].id", func(p *Problem) { p.Orders[0].ID = "" }},
		{"orders[1].province", func(p *Problem) { p.Orders[1].Province = "3" }},
		{"orders[1].city", func(p *Problem) { p.Orders[1].City = "4401" }},
		{"orders[0].promise_days", func(p *Problem) { p.Orders[0].PromiseDays = -1 }},
		{"orders[1].lines", func(p *Problem) { p.Orders[1].Lines = nil }},
		{"orders[1].lines[1].sku", func(p *Problem) { p.Orders[1].Lines[1].SKU = "MUG-99" }},
		{"orders[0].lines[0].qty", func(p *Problem) { p.Orders[0].Lines[0].Qty = 0 }},
		{"orders[1].lines[1].qty", func(p *Problem) { p.Orders[1].Lines[1].SKU, p.Orders[1].Lines[1].Qty = "S", maxQty }},
	}
	valid := func() *Problem {
		p := withStock(testProblem(), map[string]int{"SH:S": 5, "HZ:M": 5})
		p.Orders = []Order{order("a", "31", 2, "S", 1), order("b", "32", 0, "S", 1, "M", 2)}
		return p
	}
	if err := Validate(valid()); err != nil {
		t.Fatalf("the valid problem: %v", err)
	}
	for _, c := range cases {
		p := valid()
		c.edit(p)
		err := Validate(p)
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != c.field {
			t.Errorf("want an invalid %s, got %v", c.field, err)
			continue
		}
		if _, serr := Solve(p, Options{}); serr == nil || serr.Error() != err.Error() {
			t.Errorf("Solve does not validate like Validate: %v vs %v", serr, err)
		}
		if _, gerr := Greedy(p); gerr == nil {
			t.Errorf("Greedy accepts an invalid %s", c.field)
		}
	}
	if _, err := Solve(valid(), Options{Strategy: "best"}); yuncang.ErrorField(err) != "strategy" {
		t.Errorf("unknown strategy: %v", err)
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name, json, field, msg string
	}{
		{"wrong type deep", `{"orders":[{"id":"a","lines":[]},{"id":"b","lines":[{"sku":"S","qty":"two"}]}]}`, "orders[1].lines[0].qty", "whole number"},
		{"fraction", `{"skus":[{"code":"S","weight_g":1.5}]}`, "skus[0].weight_g", "whole number"},
		{"unknown field", `{"warehouses":[{"code":"SH","provinse":"31"}]}`, "warehouses[0].provinse", "unknown field"},
		{"object for array", `{"orders":{"id":"a"}}`, "orders", "must be an array"},
		{"number for string", `{"carriers":[{"code":7}]}`, "carriers[0].code", "must be a string"},
		{"top level", `[1,2]`, "(top level)", "must be an object"},
		{"malformed", "{\n  \"now\": \"10:00\",\n  \"orders\": [}\n", "", "line 3"},
		{"truncated", `{"orders":[`, "", "unexpected end"},
		{"trailing", `{} {}`, "", "after the problem"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(c.json))
			if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != c.field || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("Decode = %v; want field %q and %q", err, c.field, c.msg)
			}
		})
	}
	p, err := Decode(strings.NewReader(`{"now":"09:30","orders":[{"id":"a","province":"31","lines":[{"sku":"S","qty":2}]}],"warehouses":null}`))
	if err != nil || p.Now != "09:30" || p.Orders[0].Lines[0].Qty != 2 {
		t.Errorf("valid document: %+v, %v", p, err)
	}
}
