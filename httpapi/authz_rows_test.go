package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/orderfile"
)

// The authorization matrix points every route at real rows: each case gets
// fresh rows of its own (earlier cases may have revoked, offboarded, voided
// or shipped what they were given), owned either by the tenant and
// warehouse the request acts in ("own") or by the other ones ("foreign").

// matrixFixture is the fixture with carrier ZTO (linked to the carrier
// account), its number range, a virtual number pool, a GZ1 operator session
// to print there, a YW1/GZ1 location each, and stock.
type matrixFixture struct {
	*waybillFixture
	seq  int
	hash string // of the fixture password, hashed once (hashing is slow on purpose)
}

func newMatrixFixture(t *testing.T, configure func(*httpapi.Config)) *matrixFixture {
	t.Helper()
	f := &waybillFixture{fixture: newFixtureConfig(t, nil, configure)}
	var err error
	f.id, err = age.GenerateX25519Identity()
	must(t, err)
	pa := f.tokens["platform_admin"]
	c := f.createCarrier(t, fmt.Sprintf(`{"code":"ZTO","name":"中通快递","check_digit":"mod7","public_key":%q,
		"account":"carrier","max_reprints":5,"resolve_per_hour":1000,"resolve_per_binding":100,"binding_days":15}`, f.id.Recipient().String()))
	if f.secret, err = hexDecode(c.WebhookSecret); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/api/v1/carriers/ZTO/segments", `{"prefix":"7390","width":10,"first":1000,"last":999999}`},
		{"POST", "/api/v1/virtual-numbers", `{"numbers":["` + virtualMain + `"]}`},
		{"POST", "/api/v1/warehouses/YW1/locations", `{"locations":[{"zone":"A","aisle":"01","bin":"1"}]}`},
		{"POST", "/api/v1/warehouses/GZ1/locations", `{"locations":[{"zone":"A","aisle":"01","bin":"1"}]}`},
	} {
		if rec := f.do(t, r.method, r.path, pa, r.body); rec.Code >= 300 {
			t.Fatalf("%s %s: %d %s", r.method, r.path, rec.Code, rec.Body)
		}
	}
	// Both merchants plan with ZTO only, so that every parcel can get its
	// shipment from the one carrier configured here.
	for _, key := range []string{"merchant_admin@ta", "merchant_admin@tb"} {
		if rec := f.do(t, "PUT", "/api/v1/planning-config", f.tokens[key], `{"carriers":[{"code":"ZTO","name":"中通","cutoff":"18:00",
			"rates":[{"from":"*","to":"*","first_fen":1200,"additional_fen":300,"days":2}]}],"penalties":{"extra_parcel_fen":100,"extra_warehouse_fen":200}}`); rec.Code != 200 {
			t.Fatalf("planning config: %d %s", rec.Code, rec.Body)
		}
	}
	hash, err := auth.HashPassword(f.password)
	must(t, err)
	f.addUser(t, &yuncang.User{Username: "printer-gz", Role: yuncang.RoleOperator, Warehouses: []int64{f.gz.ID}}, hash, "operator@GZ1")
	for _, tn := range []*yuncang.Tenant{f.a, f.b} {
		must(t, f.db.CreateSKU(context.Background(), &yuncang.SKU{TenantID: tn.ID, Code: "SKU-" + strings.ToUpper(tn.Code), Barcode: "69" + tn.Code, Name: "y", WeightG: 100, VolumeCM3: 100}, nil))
	}
	return &matrixFixture{waybillFixture: f, hash: hash}
}

// scene is one cell of the matrix.
type scene struct {
	role, key string // actor
	tenant    string // the tenant the request names (?tenant=): "ta" or "tb"
	wh        string // the warehouse in the path: "YW1" or "GZ1"
	foreign   bool   // the rows belong to the other tenant / warehouse
	n         int
}

// rowTenant and rowWarehouse own the rows of a case.
func (sc scene) rowTenant() string {
	if sc.foreign {
		return map[string]string{"ta": "tb", "tb": "ta"}[sc.tenant]
	}
	return sc.tenant
}

func (sc scene) rowWarehouse() string {
	if sc.foreign {
		return map[string]string{"YW1": "GZ1", "GZ1": "YW1"}[sc.wh]
	}
	return sc.wh
}

// rowKind names the kind of row a route's path points at ("" if none).
func rowKind(path string) string {
	for _, k := range []struct{ seg, kind string }{
		{"/users/{id}", "user"}, {"/tokens/{id}", "token"}, {"/approvals/{id}", "approval"}, {"/devices/{id}", "device"}, {"/alerts/{id}", "alert"},
		{"/quota-grants/{id}", "grant"}, {"/orders/{id}", "order"}, {"{shipment}", "shipment"}, {"{manifest}", "manifest"},
		{"/data-requests/{id}", "dsr"}, {"{inspection}", "inspection"}, {"{incident}", "incident"}, {"{asn}", "asn"}, {"{printer}", "printer"}, {"{job}", "job"}, {"{sku}", "sku"}, {"{wave}", "wave"}, {"{parcel}", "parcel"}, {"{carrier}", "carrier"},
	} {
		if strings.Contains(path, k.seg) {
			return k.kind
		}
	}
	return ""
}

// hasForeign reports whether a route's rows can belong to someone else:
// the matrix then also runs every case against a foreign row.
func hasForeign(path string) bool {
	switch rowKind(path) {
	case "", "grant", "manifest", "carrier", "inspection", "incident":
		return false
	}
	return true
}

func (m *matrixFixture) next() int { m.seq++; return m.seq }

// api sends a set-up request as an actor and decodes the answer.
func (m *matrixFixture) setup(t *testing.T, want int, method, path, key, body string, out any, headers ...string) {
	t.Helper()
	rec := m.do(t, method, path, m.tokens[key], body, headers...)
	if rec.Code != want {
		t.Fatalf("set-up %s %s as %s: %d, want %d: %s", method, path, key, rec.Code, want, rec.Body)
	}
	if out != nil {
		must(t, json.Unmarshal(rec.Body.Bytes(), out))
	}
}

func (m *matrixFixture) tenant(code string) *yuncang.Tenant {
	return map[string]*yuncang.Tenant{"ta": m.a, "tb": m.b}[code]
}

func (m *matrixFixture) warehouse(code string) *yuncang.Warehouse {
	return map[string]*yuncang.Warehouse{"YW1": m.yw, "GZ1": m.gz}[code]
}

// destination is an address the planner serves from the warehouse.
func destination(wh string) string {
	if wh == "GZ1" {
		return "广东省广州市天河区天河南街道体育西路191号2栋1201室"
	}
	return "浙江省金华市义乌市稠城街道工人北路1088号3单元502室"
}

// order creates a fresh order of a tenant bound for a warehouse's region.
func (m *matrixFixture) order(t *testing.T, tenant, wh string) int64 {
	t.Helper()
	n := m.next()
	var o struct{ ID int64 }
	m.setup(t, 201, "POST", "/api/v1/orders", "merchant_admin@"+tenant, fmt.Sprintf(`{"merchant_order_id":"ROW-%d","lines":[{"sku":"SKU-1","quantity":1}],
		"recipient":{"name":"欧阳娜娜","phone":"138%08d","address":%q}}`, n, n, destination(wh)), &o)
	return o.ID
}

// user creates a fresh account the scene's row owners hold: a merchant
// admin's staff in the row tenant, otherwise an operator (or, for routes
// about reveal quotas and re-enabling, a suspended customer-service agent
// or operator) in the row warehouse.
func (m *matrixFixture) user(t *testing.T, sc scene, pattern string) *yuncang.User {
	t.Helper()
	ctx := context.Background()
	n := m.next()
	u := &yuncang.User{Username: fmt.Sprintf("row-user-%d", n), Role: yuncang.RoleOperator, Warehouses: []int64{m.warehouse(sc.rowWarehouse()).ID}}
	if sc.role == yuncang.RoleMerchantAdmin {
		tn := m.tenant(sc.rowTenant())
		admin := m.users["merchant_admin-"+tn.Code]
		u = &yuncang.User{Username: u.Username, Role: yuncang.RoleMerchantStaff, TenantID: tn.ID, ManagerID: admin.ID}
	}
	m.addUser(t, u, m.hash, "")
	if strings.HasSuffix(pattern, "/reenable") {
		must(t, m.db.Disable(ctx, u.ID, "suspended by the guard: matrix", m.clock.Now(), nil))
	}
	return u
}

// shipment creates a fresh shipment of a row-tenant order in the row
// warehouse; printed ones get their first label.
func (m *matrixFixture) shipment(t *testing.T, sc scene, printed bool) httpapi.ShipmentJSON {
	t.Helper()
	wh, tn := sc.rowWarehouse(), sc.rowTenant()
	var s httpapi.ShipmentJSON
	parcel, _ := m.floorParcel(t, sc, "weighed")
	m.setup(t, 201, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/shipment?tenant=%s", wh, parcel, tn), "platform_admin",
		`{"sender":`+senderJSON+`}`, &s)
	if printed {
		printer, dev := "operator", "YW1-DESK"
		if wh == "GZ1" {
			printer, dev = "operator@GZ1", "GZ1-DESK"
		}
		m.setup(t, 200, "GET", fmt.Sprintf("/api/v1/warehouses/%s/shipments/%d/label?format=zpl", wh, s.ID), printer, "", nil, "X-Yuncang-Device", m.devices[dev])
	}
	return s
}

// floorParcel takes a fresh order of the row tenant to a parcel in the row
// warehouse at a stage of the floor flow: "allocated", "waved", "picked",
// "packed", "weighed", "shipped".
func (m *matrixFixture) floorParcel(t *testing.T, sc scene, stage string) (parcel, wave int64) {
	t.Helper()
	tn, wh := sc.rowTenant(), sc.rowWarehouse()
	q := "?tenant=" + tn
	m.setup(t, 200, "PUT", "/api/v1/warehouses/"+wh+"/stock"+q, "platform_admin", `{"sku":"SKU-1","on_hand":100000}`, nil)
	id := m.order(t, tn, wh)
	m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", id), "merchant_admin@"+tn, `{"status":"paid","reason":"payment_confirmed"}`, nil)
	var alloc struct {
		Orders []fulfilmentView `json:"orders"`
	}
	m.setup(t, 200, "POST", "/api/v1/allocations"+q, "platform_admin", fmt.Sprintf(`{"order_ids":[%d]}`, id), &alloc)
	if len(alloc.Orders) != 1 || len(alloc.Orders[0].Parcels) != 1 || alloc.Orders[0].Parcels[0].Warehouse != wh {
		t.Fatalf("allocation of order %d for %s: %+v", id, wh, alloc)
	}
	parcel = alloc.Orders[0].Parcels[0].ID
	if stage == "allocated" {
		return parcel, 0
	}
	var w httpapi.WaveJSON
	m.setup(t, 201, "POST", "/api/v1/warehouses/"+wh+"/waves"+q, "platform_admin", `{}`, &w)
	if stage == "waved" {
		return parcel, w.ID
	}
	for _, p := range w.Picks {
		m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/waves/%d/picks%s", wh, w.ID, q), "platform_admin",
			fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, p.Location, p.SKU, p.Qty), nil)
	}
	if stage == "picked" {
		return parcel, w.ID
	}
	m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/pack%s", wh, parcel, q), "platform_admin", `{"barcodes":["690001"]}`, nil)
	if stage == "packed" {
		return parcel, w.ID
	}
	m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/weigh%s", wh, parcel, q), "platform_admin", `{"gross_g":310,"tare_g":200}`, nil)
	if stage == "weighed" {
		return parcel, w.ID
	}
	m.setup(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/ship%s", wh, parcel, q), "platform_admin", fmt.Sprintf(`{"waybill_no":"YT%010d"}`, parcel), nil)
	return parcel, w.ID
}

// asn creates a fresh ASN of the row tenant into the row warehouse.
func (m *matrixFixture) asn(t *testing.T, sc scene) int64 {
	t.Helper()
	var a struct{ ID int64 }
	m.setup(t, 201, "POST", "/api/v1/asns?tenant="+sc.rowTenant(), "platform_admin",
		fmt.Sprintf(`{"warehouse":%q,"ref":"ASN-%d","lines":[{"sku":"SKU-1","expected":5}]}`, sc.rowWarehouse(), m.next()), &a)
	return a.ID
}

// prepare returns the case's path (with real rows filled in), body and
// headers.
func (m *matrixFixture) prepare(t *testing.T, rt httpapi.Route, sc scene) (path, body string, headers []string) {
	t.Helper()
	ctx := context.Background()
	p := rt.Pattern()
	path = strings.ReplaceAll(rt.Path, "{warehouse}", sc.wh)
	set := func(param string, v any) { path = strings.ReplaceAll(path, "{"+param+"}", fmt.Sprint(v)) }
	body = sampleBody(p, sc.role, sc.n)
	switch rowKind(rt.Path) {
	case "user":
		set("id", m.user(t, sc, p).ID)
	case "token":
		u := m.user(t, scene{role: sc.role, tenant: "ta", wh: "YW1", foreign: sc.foreign}, p)
		_, c, err := m.auth.IssueAPIToken(ctx, u.ID, "row", []string{"orders:read"}, time.Hour)
		must(t, err)
		set("id", c.ID)
	case "device":
		d := &yuncang.Device{Kind: yuncang.DevicePackingStation, WarehouseID: m.warehouse(sc.rowWarehouse()).ID}
		if sc.role == yuncang.RoleMerchantAdmin {
			d = &yuncang.Device{Kind: yuncang.DeviceOfficeDesk, TenantID: m.tenant(sc.rowTenant()).ID, AssignedTo: m.users["merchant_staff-"+sc.rowTenant()].ID}
		}
		m.enrol(t, fmt.Sprintf("ROW-DEV-%d", m.next()), d)
		set("id", d.ID)
	case "printer":
		set("printer", m.printer(t, sc.rowWarehouse()))
	case "job":
		set("job", m.printJob(t, sc))
	case "approval":
		// A merchant's request for a night shift of one of its staff,
		// made by someone other than the actor.
		tn := m.tenant(sc.rowTenant())
		staff := &yuncang.User{Username: fmt.Sprintf("row-staff-%d", m.next()), Role: yuncang.RoleMerchantStaff, TenantID: tn.ID, ManagerID: m.users["merchant_admin-"+tn.Code].ID}
		m.addUser(t, staff, m.hash, "")
		requester := m.users["platform_admin"].ID
		if sc.role == yuncang.RolePlatformAdmin {
			requester = m.users["security_officer"].ID
		}
		ap := &yuncang.Approval{TenantID: tn.ID, Kind: yuncang.ApprovalShift, TargetID: staff.ID, Status: yuncang.ApprovalPending, RequestedBy: requester,
			Change:    yuncang.ApprovalChange{Shift: &yuncang.Shift{StartMin: 20 * 60, EndMin: 24 * 60, Days: 0x7f, Mode: "deny"}},
			CreatedAt: m.clock.Now(), ExpiresAt: m.clock.Now().Add(yuncang.ApprovalTTL)}
		must(t, m.db.CreateApproval(ctx, ap, &yuncang.Event{UserID: requester, Username: "requester", Kind: yuncang.EventApprovalRequest, Outcome: yuncang.OutcomeOK}))
		set("id", ap.ID)
	case "alert":
		u := m.user(t, scene{role: yuncang.RoleOperator, tenant: "ta", wh: sc.wh, foreign: sc.foreign}, p)
		al := &yuncang.Alert{At: m.clock.Now(), UserID: u.ID, Username: u.Username, Role: u.Role, Rule: "volume", Severity: "alert", Response: "alerted", Detail: "matrix", Status: yuncang.AlertOpen}
		must(t, m.db.RecordAlert(ctx, al, nil))
		set("id", al.ID)
	case "grant":
		cs := m.users["customer_service"]
		g := &yuncang.QuotaGrant{UserID: cs.ID, Kind: "reveal", Extra: 5, Reason: "peak day", RequestedBy: m.users["warehouse_supervisor"].ID, ExpiresAt: m.clock.Now().Add(8 * time.Hour)}
		must(t, m.db.RequestQuotaGrant(ctx, g))
		set("id", g.ID)
	case "order":
		set("id", m.order(t, sc.rowTenant(), "YW1"))
	case "dsr":
		set("id", m.dataRequest(t, sc.rowTenant()))
	case "shipment":
		s := m.shipment(t, sc, false)
		set("shipment", s.ID)
	case "manifest":
		sh := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, true)
		var mj httpapi.ManifestJSON
		m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/manifests", "operator", fmt.Sprintf(`{"carrier":"ZTO","waybills":[%q]}`, sh.Waybill), &mj,
			"X-Yuncang-Device", m.devices["YW1-DESK"])
		set("manifest", mj.ID)
	case "carrier":
		set("carrier", "ZTO")
	case "inspection":
		set("inspection", m.inspectionRow(t))
	case "incident":
		set("incident", m.incidentRow(t))
	case "asn":
		set("asn", m.asn(t, sc))
	case "sku":
		set("sku", "SKU-"+strings.ToUpper(sc.rowTenant()))
	case "wave":
		stage := "waved"
		_, w := m.floorParcel(t, sc, stage)
		set("wave", w)
		if strings.HasSuffix(p, "/picks") {
			var wv httpapi.WaveJSON
			m.setup(t, 200, "GET", fmt.Sprintf("/api/v1/warehouses/%s/waves/%d?tenant=%s", sc.rowWarehouse(), w, sc.rowTenant()), "platform_admin", "", &wv)
			body = fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, wv.Picks[0].Location, wv.Picks[0].SKU, wv.Picks[0].Qty)
		}
	case "parcel":
		stage := map[string]string{"pack": "picked", "weigh": "packed", "ship": "weighed", "shipment": "weighed", "delivered": "shipped"}[p[strings.LastIndex(p, "/")+1:]]
		sc2 := sc
		if strings.HasPrefix(rt.Path, "/api/v1/parcels/") {
			sc2.wh = "YW1"
		}
		id, _ := m.floorParcel(t, sc2, stage)
		set("parcel", id)
	}
	if rt.Policy.Page {
		return pageRequest(t, m, rt, sc, path)
	}
	// Routes whose body names something that must exist and be fresh.
	switch p {
	case "POST /api/v1/warehouses/{warehouse}/labels":
		body = fmt.Sprintf(`{"shipment_ids":[%d],"format":"zpl"}`, m.shipment(t, scene{tenant: "ta", wh: sc.wh}, false).ID)
	case "POST /api/v1/warehouses/{warehouse}/manifests":
		sh := m.shipment(t, scene{tenant: "ta", wh: sc.wh}, true)
		body = fmt.Sprintf(`{"carrier":"ZTO","waybills":[%q]}`, sh.Waybill)
	case "POST /api/v1/carrier/resolve":
		s := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, false)
		ext := m.boundExtension(t, s.ID)
		m.handOver(t, s.Waybill) // the carrier resolves only what it holds
		body = fmt.Sprintf(`{"virtual_number":%q,"extension":%q}`, virtualMain, ext)
	case "POST /api/v1/carrier/events":
		s := m.shipment(t, scene{tenant: "ta", wh: "YW1"}, true)
		m.setup(t, 201, "POST", "/api/v1/warehouses/YW1/manifests", "operator", fmt.Sprintf(`{"carrier":"ZTO","waybills":[%q]}`, s.Waybill), nil,
			"X-Yuncang-Device", m.devices["YW1-DESK"])
		body = fmt.Sprintf(`{"id":"ev-%d","waybill":%q,"status":"picked_up","at":%q,"note":"揽收"}`, m.next(), s.Waybill, m.clock.Now().Format(time.RFC3339))
		ts := strconv.FormatInt(m.clock.Now().Unix(), 10)
		headers = append(headers, "X-Yuncang-Timestamp", ts, "X-Yuncang-Signature", httpapi.WebhookSignature(m.secret, ts, []byte(body)))
	case "POST /api/v1/warehouses/{warehouse}/waves":
		m.floorParcel(t, scene{tenant: sc.tenant, wh: sc.wh}, "allocated")
	case "POST /api/v1/warehouses/{warehouse}/moves", "POST /api/v1/warehouses/{warehouse}/counts":
		m.setup(t, 200, "PUT", "/api/v1/warehouses/"+sc.wh+"/stock?tenant="+sc.tenant, "platform_admin", `{"sku":"SKU-1","on_hand":100000}`, nil)
	case "PUT /api/v1/planning-config":
		var cfg struct {
			Config json.RawMessage `json:"config"`
		}
		m.setup(t, 200, "GET", "/api/v1/planning-config?tenant="+sc.tenant, "platform_admin", "", &cfg)
		body = string(cfg.Config) // as it is: setting it again changes nothing for later cases
	case "POST /api/v1/orders/import":
		var buf bytes.Buffer
		must(t, orderfile.WriteCSV(&buf, []yuncang.OrderInput{{MerchantOrderID: fmt.Sprintf("IMP-%d", m.next()), Lines: []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: 1}},
			Recipient: yuncang.Recipient{Name: "欧阳娜娜", Phone: "13812345678", Address: destination("YW1")}}}))
		body = buf.String()
		headers = append(headers, "Content-Type", "text/csv")
	case "POST /api/v1/warehouses/{warehouse}/printers":
		gw, _ := m.gateway(t, sc.wh)
		body = fmt.Sprintf(`{"name":"NEW-%d","language":"tspl","addr":"10.0.0.51","gateway_id":%d}`, m.next(), gw)
	case "POST /api/v1/warehouses/{warehouse}/print-jobs":
		body = fmt.Sprintf(`{"printer_id":%d,"shipment_ids":[%d]}`, m.printer(t, sc.wh), m.shipment(t, scene{tenant: "ta", wh: sc.wh}, false).ID)
	case "POST /api/v1/enrolment/redeem":
		// A fresh account's own enrolment code, redeemed by its person.
		var created struct {
			EnrolmentCode string `json:"enrolment_code"`
		}
		m.setup(t, 201, "POST", "/api/v1/users", "platform_admin", fmt.Sprintf(`{"username":"enrol-%d","role":"operator","warehouses":["YW1"],"employment_type":"temporary","end_at":%q}`,
			m.next(), m.clock.Now().Add(10*24*time.Hour).Format(time.RFC3339)), &created)
		body = fmt.Sprintf(`{"code":%q,"password":"Correct-Horse-Battery-%d"}`, created.EnrolmentCode, m.next())
	case "GET /api/v1/audit/proof/inclusion":
		path += "?index=0"
	case "POST /api/v1/quota-grants":
		if sc.role == yuncang.RoleCustomerService {
			body = `{"username":"merchant_staff-ta","extra":5,"reason":"peak day"}`
		}
	}
	if rt.Policy.Device {
		dev := map[string]string{"YW1": "YW1-DESK", "GZ1": "GZ1-DESK"}[sc.wh]
		if yuncang.IsMerchantRole(sc.role) {
			dev = "OFFICE-ta"
		}
		if slices.Contains(rt.Policy.DeviceKinds, yuncang.DeviceOfficeDesk) {
			dev = "DESK-" + sc.key // the actor's own desk
		}
		headers = append(headers, "X-Yuncang-Device", m.devices[dev])
	}
	return path, body, headers
}
