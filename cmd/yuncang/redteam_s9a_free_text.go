package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang/demodata"
)

// freeTextPlant is personal data written where the recipient block is not:
// buyer remarks (备注) and the merchant order id. Each plant knows which of
// its words are the secret.
type freeTextPlant struct {
	moid, remarks                        string
	name, phone, tail, literal, literal2 string
}

// freeTextPlants are the forms issue 10 §1 lists; phones are drawn fresh
// per run so that each plant is its own record.
func freeTextPlants(rt *redteam) []freeTextPlant {
	ph := func() string { return fmt.Sprintf("139%08d", rt.rnd.IntN(1e8)) }
	spaced := func(p string) string { return p[:3] + " " + p[3:7] + " " + p[7:] }
	wide := func(p string) string {
		var b strings.Builder
		for _, r := range p {
			b.WriteRune('０' + (r - '0'))
		}
		return b.String()
	}
	hanzi := func(p string, one rune) string {
		var b strings.Builder
		for _, r := range p {
			d := []rune("〇一二三四五六七八九")[r-'0']
			if r == '1' {
				d = one
			}
			b.WriteRune(d)
		}
		return b.String()
	}
	var out []freeTextPlant
	p := ph()
	out = append(out, freeTextPlant{remarks: "收件人王佳，电话 " + spaced(p), name: "王佳", phone: p})
	out = append(out, freeTextPlant{remarks: "送到文三路4号5幢3单元601室，谢谢", tail: "文三路4号5幢3单元601室"})
	out = append(out, freeTextPlant{remarks: "门牌 7-7-707 放门口", tail: "7-7-707"})
	p = ph()
	out = append(out, freeTextPlant{remarks: "到了打 " + p[:3] + "." + p[3:7] + "." + p[7:], phone: p})
	p = ph()
	out = append(out, freeTextPlant{remarks: "联系 " + p[:3] + "_" + p[3:7] + "_" + p[7:], phone: p})
	p = ph()
	out = append(out, freeTextPlant{remarks: "电话+86-" + p[:3] + "-" + p[3:7] + "-" + p[7:], phone: p})
	p = ph()
	out = append(out, freeTextPlant{remarks: "电话" + wide(p), phone: p})
	p = ph()
	out = append(out, freeTextPlant{remarks: "电话" + hanzi(p, '一'), phone: p})
	p = ph()
	out = append(out, freeTextPlant{remarks: "电话" + hanzi(p, '幺'), phone: p})
	out = append(out, freeTextPlant{remarks: "有事发邮件 wangjia.rt@example.com 或 QQ 2734412986", literal: "wangjia.rt@example.com", literal2: "2734412986"})
	p = ph()
	out = append(out, freeTextPlant{moid: "YWG-" + p, remarks: "", phone: p})
	// The third outside test: radio digits (幺 两 拐 洞 勾), a name in
	// brackets beside a phone, a room after a compound name, an e-mail
	// with at and dot spelled out.
	radio := func(p string) string {
		var b strings.Builder
		for _, r := range p {
			b.WriteRune([]rune("洞幺两三四五六拐八勾")[r-'0'])
		}
		return b.String()
	}
	p = ph()
	out = append(out, freeTextPlant{remarks: "电话" + radio(p), phone: p})
	p = ph()
	out = append(out, freeTextPlant{remarks: "电话 " + p + "（谭文鹏）", name: "谭文鹏", phone: p})
	out = append(out, freeTextPlant{remarks: "送到绿城小区17-1502", tail: "17-1502"})
	out = append(out, freeTextPlant{remarks: "有事发邮件 tan.wenpeng.rt at example dot com", literal: "tan.wenpeng.rt"})
	p = ph()
	out = append(out, freeTextPlant{moid: "TB-" + radio(p), phone: p})
	return out
}

// (9a) Free text carries what the recipient block hides. The buyer's
// remarks and the merchant order id, as the merchant's system sends them,
// hold names in context, house numbers and phones written every which way;
// a customer-service agent reads the orders (masked views) and a packer
// prints their labels. Everything the plants hold counts as a leak when any
// answer shows it.
func init() {
	registerScenario(scenario{ID: "9a", Name: "free text: remarks and order ids carrying names, house numbers, phones",
		Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			rt.at(1, 10, 0)
			merchant, err := rt.mustLogin("yiwu-goods-admin")
			if err != nil {
				return err
			}
			g := demodata.NewGenerator(uint64(rt.rnd.IntN(1 << 30)))
			plants := freeTextPlants(rt)
			ids := map[int64]freeTextPlant{}
			for i, p := range plants {
				o := g.Order("yiwu-goods")
				o.Lines = o.Lines[:1] // one line of an SKU stocked in YW01, to a Zhejiang address: YW01 ships it
				o.Lines[0].SKUCode, o.Lines[0].Quantity = demodata.SKUs("yiwu-goods")[0].Code, 1
				o.Recipient.Address = fmt.Sprintf("浙江省杭州市西湖区西溪街道教工路%d号%d幢%d单元%d室", 100+i, 1+i%9, 1+i%3, 301+i)
				if p.moid != "" {
					o.MerchantOrderID = p.moid
				} else {
					o.MerchantOrderID = fmt.Sprintf("YWG-20261124-%06d", 900000+i)
				}
				o.Remarks = p.remarks
				b, _ := json.Marshal(map[string]any{"merchant_order_id": o.MerchantOrderID, "lines": []map[string]any{{"sku": o.Lines[0].SKUCode, "quantity": 1}},
					"recipient": map[string]string{"name": o.Recipient.Name, "phone": o.Recipient.Phone, "address": o.Recipient.Address}, "remarks": o.Remarks})
				st, body := rt.call("POST", "/api/v1/orders", merchant, string(b))
				if st != 201 {
					continue // refused at intake: nothing planted, nothing to leak
				}
				var out struct{ ID int64 }
				json.Unmarshal([]byte(body), &out)
				ids[out.ID] = p
			}
			if err := rt.refreshTruth(ctx); err != nil {
				return err
			}
			for id, p := range ids {
				rec := fmt.Sprintf("order:%d", id)
				if p.name != "" {
					rt.truth.addName(rec, p.name)
				}
				if p.phone != "" {
					rt.truth.addPhone(rec, p.phone)
				}
				if p.tail != "" {
					rt.truth.addTail(rec, p.tail)
				}
				for _, l := range []string{p.literal, p.literal2} {
					if l != "" {
						rt.truth.addLiteral(rec, l)
					}
				}
			}
			// The customer-service agent reads them, masked.
			a.as("cs5")
			cs, err := rt.mustLogin("cs5")
			if err != nil {
				return err
			}
			for id := range ids {
				rt.clock.Advance(30 * time.Second)
				a.try("GET", fmt.Sprintf("/api/v1/orders/%d?tenant=yiwu-goods", id), cs, "")
			}
			a.try("GET", "/api/v1/orders?tenant=yiwu-goods&limit=50", cs, "")
			// A packer prints their labels.
			a.as("operator1")
			station := rt.logins["operator1"].device()
			op, err := rt.mustLogin("operator1", "X-Yuncang-Device", station)
			if err != nil {
				return err
			}
			fl, err := newFloor(rt, "yiwu-goods", op, station)
			if err != nil {
				return err
			}
			for id := range ids {
				rt.clock.Advance(30 * time.Second)
				sh, err := fl.ship(id) // picked, packed and weighed first, as it should be
				if err != nil {
					return err
				}
				a.try("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label?format=zpl", sh), op, "", "X-Yuncang-Device", station)
			}
			return nil
		}})
}
