package httpapi

import "github.com/yuncang/yuncang"

// registerDataRequestRoutes declares the data-subject request routes (PIPL
// arts. 44-50). The merchant's customer service records and closes them;
// the access answer itself goes through POST /api/v1/orders/{id}/reveal
// with purpose data_subject_request (device, second factor, quota, guard,
// audit), which closing a request as answered checks for.
func (s *Server) registerDataRequestRoutes() {
	const (
		cs = yuncang.RoleCustomerService
		ma = yuncang.RoleMerchantAdmin
		ms = yuncang.RoleMerchantStaff
	)
	s.handle("POST", "/api/v1/data-requests", "privacy", "Record a data-subject request (access, correction, deletion, withdrawal) found by the recipient's phone through the blind index; due in 15 working days by default",
		Policy{Roles: roles(cs, ma, ms), Tenant: true}, s.createDataRequest)
	s.handle("GET", "/api/v1/data-requests", "privacy", "The merchant's data-subject requests, open ones first by due date",
		Policy{Roles: roles(cs, ma, ms), Tenant: true}, s.listDataRequests)
	s.handle("POST", "/api/v1/data-requests/{id}/close", "privacy", "Close a request: answered (every order revealed for data_subject_request first), corrected (the corrected recipient sealed into its orders, by someone other than whoever recorded the request), erased (the orders' recipient data erased) or refused with a reason",
		Policy{Roles: roles(cs, ma), Tenant: true, StepUp: true}, s.closeDataRequest)
}
