package yuncang

import (
	"testing"
	"time"
)

// TestContractorNeedsEndDate: contractors, like temporary staff, always
// have an end date (issue 10 item 7).
func TestContractorNeedsEndDate(t *testing.T) {
	for _, emp := range []string{EmploymentTemporary, EmploymentContractor} {
		u := &User{Username: "c1", Role: RoleCustomerService, EmploymentType: emp}
		if err := u.Validate(); ErrorCode(err) != EINVALID || ErrorField(err) != "end_at" {
			t.Errorf("%s without end date: %v", emp, err)
		}
		u.EndAt = time.Now().Add(time.Hour)
		if err := u.Validate(); err != nil {
			t.Errorf("%s with end date: %v", emp, err)
		}
	}
}

// TestGrantNeedsApproval: every role that can reveal, resolve or
// administer needs a second person; operators and auditors do not.
func TestGrantNeedsApproval(t *testing.T) {
	want := map[string]bool{RolePlatformAdmin: true, RoleSecurityOfficer: true, RoleWarehouseSupervisor: true, RoleOperator: false,
		RoleCustomerService: true, RoleMerchantAdmin: true, RoleMerchantStaff: true, RoleAuditor: false, RoleCarrier: true}
	for _, r := range Roles {
		if GrantNeedsApproval(r) != want[r] {
			t.Errorf("%s: %v", r, GrantNeedsApproval(r))
		}
	}
}
