package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/yuncang/yuncang/guard"
)

// metrics are the server's Prometheus collectors, in a registry of its own
// (tests start many servers in one process). Labels are route patterns,
// methods, status codes and outcomes only: never paths with ids, never
// request data.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	intake    *prometheus.CounterVec
	reveals   *prometheus.CounterVec
	decisions *prometheus.CounterVec
	quota     *prometheus.CounterVec
	labels    *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yuncang_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code."}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "yuncang_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern and method.", Buckets: prometheus.DefBuckets}, []string{"route", "method"}),
		intake: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yuncang_orders_intake_total",
			Help: "Orders submitted, by outcome."}, []string{"outcome"}),
		reveals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yuncang_reveals_total",
			Help: "Recipient reveals, by outcome (revealed, refused)."}, []string{"outcome"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yuncang_guard_decisions_total",
			Help: "Guard decisions on access to personal data, by activity and strongest response (none, alert, step_up, refuse, suspend)."}, []string{"activity", "decision"}),
		quota: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yuncang_quota_refusals_total",
			Help: "Requests refused because a reveal quota was spent, by activity."}, []string{"activity"}),
		labels: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "yuncang_label_prints_total",
			Help: "Waybill labels printed, by path (download: rendered and sent to the station; printer: checked, counted and queued for a print gateway) and kind (print, reprint)."}, []string{"path", "kind"}),
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.intake, m.reveals, m.decisions, m.quota, m.labels)
	return m
}

// observe counts one request. route is the ServeMux pattern without its
// method ("/api/v1/orders/{id}"), never the raw path.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // a client's made-up method must not make a series
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// labelPrints counts n labels printed through path.
func (m *metrics) labelPrints(path, reason string, n int) {
	kind := "print"
	if reason != "" {
		kind = "reprint"
	}
	m.labels.WithLabelValues(path, kind).Add(float64(n))
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}

// decision counts one guard decision (severity 0: nothing to say).
func (m *metrics) decision(activity string, sev guard.Severity) {
	m.decisions.WithLabelValues(activity, sev.String()).Inc()
}
