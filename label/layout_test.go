package label

import (
	"fmt"
	"strings"
	"testing"
)

// rect is something drawn, for the overlap check.
type rect struct {
	what       string
	x, y, w, h float64
}

// recorder is a canvas that keeps what would be drawn.
type recorder struct {
	advance func(rune) float64
	modules int
	qrSide  int
	texts   []rect
	boxes   []rect
}

func (r *recorder) text(x, y, size float64, s string, st textStyle) {
	w := 0.0
	for _, c := range s {
		w += r.advance(c) * size
	}
	if st&reverse != 0 {
		return // sits on its own badge
	}
	r.texts = append(r.texts, rect{s, x, y, w, size})
}
func (r *recorder) box(x, y, w, h float64) { r.boxes = append(r.boxes, rect{"box", x, y, w, h}) }
func (r *recorder) code128(x, y, mw, h float64) {
	r.texts = append(r.texts, rect{"barcode", x, y, float64(r.modules) * mw, h})
}
func (r *recorder) qr(x, y, mod float64) {
	r.texts = append(r.texts, rect{"qr", x, y, float64(r.qrSide) * mod, float64(r.qrSide) * mod})
}

func overlap(a, b rect) bool {
	const slack = 0.05 // mm
	return a.x+slack < b.x+b.w && b.x+slack < a.x+a.w && a.y+slack < b.y+b.h && b.y+slack < a.y+a.h
}

// TestLayoutFits lays out an ordinary and a worst-case label in both sizes,
// with real font metrics and with the ZPL estimate: everything stays on the
// label and no two pieces of text or symbols overlap.
func TestLayoutFits(t *testing.T) {
	long := sampleLabel(t, "ZT"+strings.Repeat("W8", 15))
	long.Carrier = Carrier{Name: "中国邮政速递物流股份有限公司国际及港澳台特快专递业务部", Code: "EMS-INTERNATIONAL-EXPRESS"}
	long.Recipient.Name = "阿卜杜热合曼·**********"
	long.Recipient.Phone = "0579-******56-****"
	long.Recipient.Address = "新疆维吾尔自治区伊犁哈萨克自治州伊宁市喀赞其街道****"
	long.Sender.Name = "义乌国际商贸城优品小商品批发零售旗舰店"
	long.SortCode = "571-W03-12-A7-B9"
	long.OrderRef = strings.Repeat("YWG-20261128-", 4)
	long.Remarks = strings.Repeat("请放门口快递柜，谢谢！", 18)
	long.Trace.Operator = "operator-with-a-long-id-2048"
	long.Trace.Station = "YW01-PACK-STATION-03"

	metrics := map[string]func(rune) float64{"zpl": zplAdvance}
	if r, err := New(Options{}); err == nil {
		if f, err := r.loadFont(); err == nil {
			metrics["font"] = f.advanceOf
		}
	}
	for _, size := range []Size{Size76x130, Size100x150} {
		for mname, adv := range metrics {
			for lname, l := range map[string]Label{"sample": sampleLabel(t, "73902468013579"), "long": long} {
				t.Run(fmt.Sprint(size.Name, "/", mname, "/", lname), func(t *testing.T) {
					f, err := prepare(&l)
					if err != nil {
						t.Fatal(err)
					}
					modules, _ := code128Modules(f.waybill)
					rec := &recorder{advance: adv, modules: modules, qrSide: qrModules(f.token)}
					newSheet(rec, adv, size, 203, modules, rec.qrSide).draw(&f)
					margin := 2.5 * size.WidthMM / 76
					for _, r := range append(rec.texts, rec.boxes...) {
						if r.x < margin-0.01 || r.y < 0 || r.x+r.w > size.WidthMM-margin+0.01 || r.y+r.h > size.HeightMM+0.01 {
							t.Errorf("%q at %.1f,%.1f size %.1fx%.1f is outside the %s label's margins", r.what, r.x, r.y, r.w, r.h, size.Name)
						}
					}
					for i, a := range rec.texts {
						for _, b := range rec.texts[i+1:] {
							if overlap(a, b) {
								t.Errorf("%q and %q overlap", a.what, b.what)
							}
						}
						for _, b := range rec.boxes {
							if b.h < 1 && overlap(a, b) { // rules between sections
								t.Errorf("%q crosses a rule at y=%.1f", a.what, b.y)
							}
						}
					}
				})
			}
		}
	}
}
