package httpapi

import (
	"fmt"
	"strings"

	"github.com/yuncang/yuncang"
)

// approverRefusal tells an approver whose role may not manage the account
// a request changes who may decide it instead (it said only "your role may
// not approve changes to this kind of account").
func approverRefusal(role string) error {
	var who []string
	for _, r := range yuncang.Roles {
		if yuncang.CanManage(r, role) {
			who = append(who, r)
		}
	}
	if len(who) == 0 {
		return forbid(fmt.Sprintf("your role may not approve changes to a %s account", role))
	}
	return forbid(fmt.Sprintf("your role may not approve changes to a %s account: a %s (not the one who asked) approves it", role, strings.Join(who, " or ")))
}
