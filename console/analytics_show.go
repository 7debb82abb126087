package console

import (
	"net/http"
	"sort"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// analyticsView is the merchant's logistics figures (what GET
// /api/v1/analytics/logistics returns) grouped one way, with a bar chart
// drawn on the server as SVG (no script, nothing inline but markup).
type analyticsView struct {
	GroupBy  string
	From, To string
	Rows     []analyticsRow
	Chart    barChart
}

// analyticsRow sums a group's days.
type analyticsRow struct {
	Key, Name  string
	Parcels    int
	Orders     int
	CostFen    int64
	AvgCostFen int64
	SplitRate  float64
	OnTimeRate float64
	delivered  int
	onTime     int
	split      int
}

// barChart is a horizontal bar chart's geometry.
type barChart struct {
	Width, Height int
	Bars          []bar
}

type bar struct {
	Label     string
	Value     int
	Y, W      int
	TextY     int
	ValueX    int
	LabelLeft int
}

var analyticsGroups = map[string]bool{"": true, "warehouse": true, "carrier": true, "province": true}

func (c *Console) analyticsShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := &analyticsView{GroupBy: q.Get("group_by"), From: q.Get("from"), To: q.Get("to")}
	if !analyticsGroups[v.GroupBy] {
		return yuncang.Invalid("group_by", "must be warehouse, carrier, province or empty (per day)")
	}
	now := c.now().In(c.zone)
	if v.To == "" {
		v.To = now.Format("2006-01-02")
	}
	if v.From == "" {
		v.From = now.AddDate(0, 0, -29).Format("2006-01-02")
	}
	from, err := time.ParseInLocation("2006-01-02", v.From, c.zone)
	if err != nil {
		return yuncang.Invalid("from", "must be a date YYYY-MM-DD")
	}
	to, err := time.ParseInLocation("2006-01-02", v.To, c.zone)
	if err != nil {
		return yuncang.Invalid("to", "must be a date YYYY-MM-DD")
	}
	rows, err := c.store.LogisticsStats(r.Context(), yuncang.StatsFilter{TenantID: httpapi.TenantFrom(r.Context()).ID, From: from, To: to.AddDate(0, 0, 1), GroupBy: v.GroupBy})
	if err != nil {
		return err
	}
	by := map[string]*analyticsRow{}
	for _, x := range rows {
		key := x.Key
		if v.GroupBy == "" {
			key = x.Day
		}
		g := by[key]
		if g == nil {
			g = &analyticsRow{Key: key, Name: x.Name}
			by[key] = g
		}
		g.Parcels += x.Parcels
		g.Orders += x.Orders
		g.CostFen += x.CostFen
		g.delivered += x.Delivered
		g.onTime += x.OnTime
		g.split += x.SplitOrders
	}
	for _, g := range by {
		if g.Parcels > 0 {
			g.AvgCostFen = g.CostFen / int64(g.Parcels)
		}
		if g.Orders > 0 {
			g.SplitRate = float64(g.split) / float64(g.Orders)
		}
		if g.delivered > 0 {
			g.OnTimeRate = float64(g.onTime) / float64(g.delivered)
		}
		v.Rows = append(v.Rows, *g)
	}
	if v.GroupBy == "" {
		sort.Slice(v.Rows, func(i, j int) bool { return v.Rows[i].Key < v.Rows[j].Key })
	} else {
		sort.Slice(v.Rows, func(i, j int) bool { return v.Rows[i].Parcels > v.Rows[j].Parcels })
	}
	v.Chart = chartOf(v.Rows)
	return c.render(w, http.StatusOK, "analytics_show", c.newPage(r, "analytics.title", v))
}

// chartOf lays out parcels per group as horizontal bars.
func chartOf(rows []analyticsRow) barChart {
	const labelW, barMax, rowH = 120, 520, 22
	ch := barChart{Width: labelW + barMax + 70, Height: rowH*len(rows) + 10}
	most := 1
	for _, r := range rows {
		most = max(most, r.Parcels)
	}
	for i, r := range rows {
		label := r.Key
		if r.Name != "" {
			label = r.Name
		}
		wd := r.Parcels * barMax / most
		ch.Bars = append(ch.Bars, bar{Label: label, Value: r.Parcels, Y: 5 + i*rowH, W: wd, TextY: 5 + i*rowH + 15, ValueX: labelW + wd + 6, LabelLeft: labelW - 6})
	}
	return ch
}
