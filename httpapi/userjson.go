package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func toShiftJSON(sh yuncang.Shift) *ShiftJSON {
	if !sh.Restricted() {
		return nil
	}
	j := &ShiftJSON{Start: fmt.Sprintf("%02d:%02d", sh.StartMin/60, sh.StartMin%60), End: fmt.Sprintf("%02d:%02d", sh.EndMin/60, sh.EndMin%60), Mode: sh.Mode}
	for d, n := range dayNames {
		if sh.Days&(1<<d) != 0 {
			j.Days = append(j.Days, n)
		}
	}
	return j
}

// fromShiftJSON parses a shift; nil or no days clears the restriction.
func fromShiftJSON(j *ShiftJSON) (yuncang.Shift, error) {
	var sh yuncang.Shift
	if j == nil || (len(j.Days) == 0 && j.Start == "" && j.End == "" && j.Mode == "") {
		return sh, nil // {}: the shift is lifted (a widening: four eyes)
	}
	if len(j.Days) == 0 {
		// Half a shift must not quietly become no shift at all.
		return sh, yuncang.Invalid("shift.days", "name the working days (mon..sun), or send {} to lift the shift")
	}
	parse := func(field, v string) (int, error) {
		t, err := time.Parse("15:04", v)
		if err != nil {
			if v == "24:00" && field == "shift.end" {
				return 1440, nil
			}
			return 0, yuncang.Invalid(field, "must be a time of day like 08:00")
		}
		return t.Hour()*60 + t.Minute(), nil
	}
	var err error
	if sh.StartMin, err = parse("shift.start", j.Start); err != nil {
		return sh, err
	}
	if sh.EndMin, err = parse("shift.end", j.End); err != nil {
		return sh, err
	}
	for _, d := range j.Days {
		i := indexOf(dayNames, strings.ToLower(d))
		if i < 0 {
			return sh, yuncang.Invalid("shift.days", "must be day names mon..sun")
		}
		sh.Days |= 1 << i
	}
	sh.Mode = j.Mode
	return sh, sh.Validate()
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// userJSON renders an account with its tenant and warehouse codes.
func (s *Server) userJSON(r *http.Request, u *yuncang.User) (UserJSON, error) {
	j := UserJSON{ID: u.ID, Username: u.Username, Role: u.Role, Status: u.Status, DisabledReason: u.DisabledReason,
		EmploymentType: u.EmploymentType, EndAt: timePtr(u.EndAt), Shift: toShiftJSON(u.Shift), SecondFactor: u.HasTOTP,
		CreatedAt: u.CreatedAt, LastLoginAt: timePtr(u.LastLoginAt), LastActiveAt: timePtr(u.LastActiveAt), ReviewedAt: timePtr(u.ReviewedAt)}
	if u.TenantID != 0 {
		t, err := s.store.TenantByID(r.Context(), u.TenantID)
		if err != nil {
			return j, err
		}
		j.Tenant = t.Code
	}
	if len(u.Warehouses) > 0 {
		codes, err := s.warehouseCodes(r)
		if err != nil {
			return j, err
		}
		for _, id := range u.Warehouses {
			j.Warehouses = append(j.Warehouses, codes[id])
		}
	}
	return j, nil
}

func (s *Server) warehouseCodes(r *http.Request) (map[int64]string, error) {
	ws, err := s.store.Warehouses(r.Context())
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, w := range ws {
		m[w.ID] = w.Code
	}
	return m, nil
}

// warehouseIDs resolves warehouse codes, naming the field on failure.
func (s *Server) warehouseIDs(r *http.Request, field string, codes []string) ([]int64, error) {
	var ids []int64
	for i, c := range codes {
		w, err := s.store.WarehouseByCode(r.Context(), c)
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return nil, yuncang.Invalid(fmt.Sprintf("%s[%d]", field, i), "no such warehouse")
			}
			return nil, err
		}
		ids = append(ids, w.ID)
	}
	return ids, nil
}
