package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// (9d) Decoys give themselves away: an insider of each merchant lists its
// orders (masked) and looks for the ones that are not like the others, to
// avoid them. Three ways, each measured as the real decoys it singles out:
//   - shape: the id's shape (letters as A, digits as 9) is rarer than one
//     in twenty;
//   - stride: the id's number falls in a class (mod 2 … 20) that the
//     merchant's numbers (almost) never use — a merchant counting up by 2
//     has no odd numbers, and a decoy filling a skipped number was the one
//     odd number among them;
//   - sequence: sorted by database id (the order of creation), the id's
//     number breaks the rise of its neighbours' — a decoy that filled an
//     old gap sat among orders numbered far later;
//   - allocation: asking to allocate each order by id, the answer (HTTP
//     status, error code and message, or the status and reason it ends in)
//     differs from what nearly every other order in the same listed status
//     gets — the old code answered "no such order" for a decoy alone.
//
// Asking allocation for a decoy by id is itself a touch of it (a canary
// alert), so the insider is flagged, but the figure that matters here is
// whether it learnt which orders to avoid.
func init() {
	registerScenario(scenario{ID: "9d", Name: "decoys recognised by their shape, stride or allocation answer",
		Target: target{MaxLeaked: 0, Figures: map[string]int{"decoys_recognised": 0, "decoys_recognised_by_shape": 0,
			"decoys_recognised_by_stride": 0, "decoys_recognised_by_sequence": 0, "decoys_recognised_by_allocation": 0}},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			rt.at(1, 10, 0)
			total := map[string]int{}
			recognised := map[int64]bool{}
			for _, merchant := range []string{"yiwu-goods", "hz-fresh"} {
				staff := merchant + "-staff"
				a.as(staff)
				tok, err := rt.mustLogin(staff)
				if err != nil {
					return err
				}
				all := decoyHuntList(rt, a, tok)
				if len(all) == 0 {
					return fmt.Errorf("%s could not list its orders", staff)
				}
				decoys := map[int64]bool{}
				for _, id := range rt.canary[merchant] {
					decoys[id] = true
				}
				for method, suspects := range map[string]map[int64]bool{
					"shape":      suspectByShape(all),
					"stride":     suspectByStride(all),
					"sequence":   suspectBySequence(all),
					"allocation": suspectByAllocation(rt, a, tok, all),
				} {
					total["orders_suspected_by_"+method] += len(suspects)
					for id := range suspects {
						if decoys[id] {
							total["decoys_recognised_by_"+method]++
							recognised[id] = true
						}
					}
				}
				total["decoys"] += len(decoys)
			}
			for _, k := range []string{"shape", "stride", "sequence", "allocation"} {
				a.figure("decoys_recognised_by_"+k, total["decoys_recognised_by_"+k])
				a.figure("orders_suspected_by_"+k, total["orders_suspected_by_"+k])
			}
			a.figure("decoys_recognised", len(recognised))
			a.figure("decoys", total["decoys"])
			return nil
		}})
}

// huntedOrder is what the insider sees of an order in the list.
type huntedOrder struct {
	ID     int64  `json:"id"`
	MOID   string `json:"merchant_order_id"`
	Status string `json:"status"`
}

// decoyHuntList pages through the merchant's orders.
func decoyHuntList(rt *redteam, a *attack, tok string) []huntedOrder {
	var all []huntedOrder
	cursor := ""
	for page := 0; page < 50; page++ {
		rt.clock.Advance(time.Minute)
		st, body := a.try("GET", "/api/v1/orders?limit=200&cursor="+url.QueryEscape(cursor), tok, "")
		if st != 200 {
			break
		}
		var p struct {
			Items []huntedOrder `json:"items"`
			Next  string        `json:"next"`
		}
		json.Unmarshal([]byte(body), &p)
		all = append(all, p.Items...)
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	return all
}

// suspectByShape: ids whose shape is rarer than one in twenty.
func suspectByShape(all []huntedOrder) map[int64]bool {
	shapes := map[string]int{}
	for _, o := range all {
		shapes[idShape(o.MOID)]++
	}
	out := map[int64]bool{}
	for _, o := range all {
		if shapes[idShape(o.MOID)]*20 < len(all) {
			out[o.ID] = true
		}
	}
	return out
}

var lastDigits = regexp.MustCompile(`(\d{1,18})\D*$`)

var anyNumber = regexp.MustCompile(`\d+`)

// orderNumber is the last run of digits of a merchant order id.
func orderNumber(moid string) (uint64, bool) {
	m := lastDigits.FindStringSubmatch(moid)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseUint(m[1], 10, 64)
	return n, err == nil
}

// suspectBySequence: in database id order, an order whose number is below
// its predecessor's and below its successor's, or above both, while they
// rise — the one number out of place among rising ones.
func suspectBySequence(all []huntedOrder) map[int64]bool {
	byID := slices.Clone(all)
	slices.SortFunc(byID, func(a, b huntedOrder) int { return cmp.Compare(a.ID, b.ID) })
	out := map[int64]bool{}
	for i := 1; i+1 < len(byID); i++ {
		p, ok1 := orderNumber(byID[i-1].MOID)
		n, ok2 := orderNumber(byID[i].MOID)
		q, ok3 := orderNumber(byID[i+1].MOID)
		if ok1 && ok2 && ok3 && p < q && (n < p || n > q) {
			out[byID[i].ID] = true
		}
	}
	return out
}

// suspectByStride: ids whose number falls in a class mod m (2 … 20) that
// holds under a fifth of its fair share of the merchant's numbers, where
// the fair share is at least 10 (so chance alone rarely empties a class).
func suspectByStride(all []huntedOrder) map[int64]bool {
	nums := map[int64]uint64{}
	for _, o := range all {
		if n, ok := orderNumber(o.MOID); ok {
			nums[o.ID] = n
		}
	}
	out := map[int64]bool{}
	for m := uint64(2); m <= 20 && len(nums) >= int(10*m); m++ {
		count := make([]int, m)
		for _, n := range nums {
			count[n%m]++
		}
		fair := float64(len(nums)) / float64(m)
		for id, n := range nums {
			if float64(count[n%m])*5 < fair {
				out[id] = true
			}
		}
	}
	return out
}

// suspectByAllocation asks allocation for each order by id and suspects
// the orders whose answer nearly no other order of the same listed status
// gets (under one in twenty, in a group of at least twenty).
func suspectByAllocation(rt *redteam, a *attack, tok string, all []huntedOrder) map[int64]bool {
	answer := map[int64]string{}
	for _, o := range all {
		rt.clock.Advance(2 * time.Second)
		st, body := a.try("POST", "/api/v1/allocations", tok, fmt.Sprintf(`{"order_ids":[%d]}`, o.ID))
		var sig string
		if st >= 200 && st < 300 {
			var r struct {
				Orders []struct {
					Status string `json:"status"`
					Plan   *struct {
						Reason string `json:"reason"`
					} `json:"plan"`
				} `json:"orders"`
			}
			json.Unmarshal([]byte(body), &r)
			sig = fmt.Sprint(st)
			for _, x := range r.Orders {
				sig += " " + x.Status
				if x.Plan != nil {
					sig += "/" + x.Plan.Reason
				}
			}
		} else {
			sig = statusKey(st, body) + " " + anyNumber.ReplaceAllString(errorMessage(body), "N")
		}
		answer[o.ID] = sig
	}
	groups := map[string]map[string]int{}
	size := map[string]int{}
	for _, o := range all {
		if groups[o.Status] == nil {
			groups[o.Status] = map[string]int{}
		}
		groups[o.Status][answer[o.ID]]++
		size[o.Status]++
	}
	out := map[int64]bool{}
	for _, o := range all {
		if n := size[o.Status]; n >= 20 && groups[o.Status][answer[o.ID]]*20 < n {
			out[o.ID] = true
		}
	}
	return out
}

// idShape maps letters to A and digits to 9: YWG-20261128-000123 → AAA-99999999-999999.
func idShape(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsDigit(r):
			return '9'
		case unicode.IsLetter(r):
			return 'A'
		}
		return r
	}, s)
}
