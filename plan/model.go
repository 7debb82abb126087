package plan

import (
	"math"
	"strings"

	"github.com/yuncang/yuncang"
)

// Temperature classes, as indexes. A parcel holds units of one class only.
const (
	tempAmbient = iota
	tempChilled
	tempFrozen
	numTemps
)

var tempNames = [numTemps]string{yuncang.TempAmbient, yuncang.TempChilled, yuncang.TempFrozen}

// Input limits: large enough for any real warehouse, small enough that no
// sum of weights, volumes or prices can overflow int64. The worst order is
// 200 lines × 100 000 units × 10 m³ = 2e14 cm³ in one parcel; with a volume
// divisor of at least 1000 and steps of at least 100 g that is at most 2e12
// steps at ¥1000 each, 2e17 fen, well below infCost.
const (
	maxQty       = 100_000
	maxWeightG   = 1_000_000
	maxVolumeCM3 = 10_000_000
	maxPriceFen  = 100_000_000
	maxStepFen   = 100_000
	maxDays      = 365
	noLimit      = math.MaxInt64 / 4
	infCost      = math.MaxInt64 / 4
)

// model is a validated Problem turned into indexes, with every route's
// price and delivery estimate resolved once, so the search never looks up a
// code or a rate table.
type model struct {
	whs      []whInfo
	skus     []skuInfo
	skuIndex map[string]int
	carriers []carrierInfo
	stock    []int // initial stock, index sku*len(whs) + warehouse
	orders   []orderInfo
	// routes[(w*len(provinces)+prov)*numTemps+t] lists the carriers that
	// deliver class t from warehouse w to province prov, by carrier index,
	// whatever the promise.
	routes [][]route

	extraParcel, extraWarehouse int64 // Penalties, in fen
}

type whInfo struct {
	code     string
	prov     int
	lat, lon float64
}

type skuInfo struct {
	code    string
	weightG int
	volCM3  int
	temp    int
}

type carrierInfo struct {
	code          string
	maxW, maxV    int
	divisor       int
	firstG, stepG int
	covers        [numProvinces]bool
	temps         [numTemps]bool
}

// route is one carrier's offer for one warehouse → province pair.
type route struct {
	carrier   int
	firstFen  int64
	addFen    int64
	days      int // including a day's wait when the cut-off has passed
	lateByCut bool
}

type orderInfo struct {
	id      string
	prov    int
	promise int
	lines   []lineInfo
}

type lineInfo struct {
	sku int
	qty int
}

func (m *model) routesFor(w, prov, t int) []route {
	return m.routes[(w*len(provinces)+prov)*numTemps+t]
}

// price is what carrier c charges for a parcel of the given actual weight
// and volume on route r, and the chargeable weight it charges for.
func (m *model) price(r *route, weightG, volCM3 int) (fen int64, chargeableG int) {
	c := &m.carriers[r.carrier]
	chargeableG = weightG
	// Volumetric grams, rounded up: cm³ × 1000 / divisor.
	if vol := (volCM3*1000 + c.divisor - 1) / c.divisor; vol > chargeableG {
		chargeableG = vol
	}
	fen = r.firstFen
	if chargeableG > c.firstG {
		steps := (chargeableG - c.firstG + c.stepG - 1) / c.stepG
		fen += int64(steps) * r.addFen
	}
	return fen, chargeableG
}

// fits reports whether carrier c takes a parcel of this weight and volume.
func (m *model) fits(c int, weightG, volCM3 int) bool {
	ci := &m.carriers[c]
	return weightG <= ci.maxW && volCM3 <= ci.maxV
}

func tempIndex(s string) (int, bool) {
	switch s {
	case yuncang.TempAmbient, "":
		return tempAmbient, true
	case yuncang.TempChilled:
		return tempChilled, true
	case yuncang.TempFrozen:
		return tempFrozen, true
	}
	return 0, false
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2], 2) || !isDigits(s[3:], 2) {
		return 0, false
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}
