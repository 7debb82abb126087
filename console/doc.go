// Package console is yuncang's web console: server-rendered pages for
// people (merchants, customer service, warehouse staff, supervisors,
// security officers, auditors, platform administrators), in the same
// binary as the API and behind the same authorization point.
//
// Shape (after miniflux's internal/ui):
//   - every page is registered with httpapi.Server.HandlePage; its Policy
//     lives in httpapi/policy.go (pagePolicies), so authorize() decides for
//     pages exactly as for API routes, with the session cookie as the
//     credential and a CSRF token on every request that changes something;
//   - routes_AREA.go registers one area's pages (and nav entries) from an
//     init() call to addArea; each page action is a file of its own
//     (orders_list.go, order_show.go …) with its template in templates/;
//   - the console reaches business rules only through narrow interfaces
//     declared here (store.go), which the API's handlers use too;
//   - templates and assets are embedded; no inline script or style (the
//     Content-Security-Policy forbids both); every page carries a tiled
//     watermark naming account, device and time.
//
// See README.md in this directory for how to add a page.
package console
