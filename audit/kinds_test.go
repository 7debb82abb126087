package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// Every event kind the product records must be an audit action, or
// recording it would fail (closed) in production.
func TestEveryEventKindIsAnAction(t *testing.T) {
	for _, k := range []string{yuncang.EventLogin, yuncang.EventLoginFailure, yuncang.EventLockout, yuncang.EventLogout,
		yuncang.EventStepUp, yuncang.EventStepUpFailure, yuncang.EventNewSource, yuncang.EventUserCreate, yuncang.EventRoleChange,
		yuncang.EventScopeChange, yuncang.EventShiftChange, yuncang.EventOffboard, yuncang.EventExpiry, yuncang.EventReview,
		yuncang.EventDeviceEnrol, yuncang.EventDeviceRevoke, yuncang.EventTokenIssue, yuncang.EventTokenRevoke, yuncang.EventTokenUse,
		yuncang.EventOutsideShift, yuncang.EventAccessDenied, yuncang.EventKeyRotation, yuncang.EventPasswordChange, yuncang.EventReveal,
		yuncang.EventOrderCreate, yuncang.EventOrderImport, yuncang.EventOrderView, yuncang.EventListPage, yuncang.EventPhoneSearch,
		yuncang.EventCheckpoint, yuncang.EventAuditExport, yuncang.EventGuardAlert, yuncang.EventSuspend, yuncang.EventReenable,
		yuncang.EventQuotaRaise, yuncang.EventCanarySeed, yuncang.EventAlertDecision, yuncang.EventShipmentCreate, yuncang.EventWaybillVoid, yuncang.EventAuditResume,
		yuncang.EventErasure, yuncang.EventRekey, yuncang.EventRetentionPolicy, yuncang.EventDataRequest, yuncang.EventDataRequestClose,
		yuncang.EventSecurityKeyAdd, yuncang.EventSecurityKeyRemove,
		yuncang.EventTenantCreate, yuncang.EventWarehouseCreate, yuncang.EventSKUCreate, yuncang.EventStockSet} {
		if !KnownAction(Action(k)) {
			t.Errorf("event kind %q is not a known audit action", k)
		}
	}
	for _, o := range []string{yuncang.OutcomeOK, yuncang.OutcomeDenied, yuncang.OutcomeAlert} {
		e := Event{Time: yuncang.Event{}.At.AddDate(2000, 0, 0), Action: ActionLogin, Outcome: o}
		if err := e.Validate(); err != nil {
			t.Errorf("outcome %q: %v", o, err)
		}
	}
}

// TestEveryDeclaredEventKindIsAnAction reads the root package's source: a
// string constant named Event… is an event kind, and each must be an audit
// action, so that a kind added without its action fails here rather than
// (closed) in production.
func TestEveryDeclaredEventKindIsAnAction(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Event") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					kind, _ := strconv.Unquote(lit.Value)
					n++
					if !KnownAction(Action(kind)) {
						t.Errorf("%s (%s) = %q is not a known audit action", name.Name, filepath.Base(path), kind)
					}
				}
			}
		}
	}
	if testing.Verbose() {
		t.Logf("%d event kinds", n)
	}
	if n < 60 {
		t.Fatalf("found only %d event kinds: is the root package where this test looks?", n)
	}
}
