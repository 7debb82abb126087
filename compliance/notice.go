package compliance

import (
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// Notice is the breach notice PIPL art. 57 requires, drafted for the
// merchants whose recipients are concerned and for the authorities.
type Notice struct {
	ToMerchants   string `json:"to_merchants"`
	ToAuthorities string `json:"to_authorities"`
}

// ValidateIncident checks the fields an art. 57 notice needs.
func ValidateIncident(in *yuncang.Incident) error {
	if in.ActorID <= 0 {
		return yuncang.Invalid("actor", "is required: the account whose actions are in question")
	}
	if in.WindowStart.IsZero() || !in.WindowEnd.After(in.WindowStart) {
		return yuncang.Invalid("window_end", "must be after window_start")
	}
	if in.WindowEnd.Sub(in.WindowStart) > 366*24*time.Hour {
		return yuncang.Invalid("window_start", "the window is at most a year")
	}
	for _, f := range []struct{ name, v string }{{"cause", in.Cause}, {"harm", in.Harm}, {"remedies", in.Remedies},
		{"individual_measures", in.IndividualMeasures}, {"contact", in.Contact}} {
		if n := len([]rune(strings.TrimSpace(f.v))); n == 0 || n > 1000 {
			return yuncang.Invalid(f.name, "is required, at most 1000 characters")
		}
	}
	if len([]rune(in.Categories)) > 500 {
		return yuncang.Invalid("categories", "is at most 500 characters")
	}
	return nil
}

// DefaultCategories names the personal data a revealed or printed order
// carries, when the incident does not say otherwise.
const DefaultCategories = "收件人姓名、电话、地址及订单备注 (recipient name, phone, address, order remarks)"

// DraftNotice drafts the notice to the merchants (named by code) and to
// the authorities, with the content PIPL art. 57 requires: the categories
// of data, the cause and possible harm; the remedial measures taken and
// what individuals can do; the handler's contact.
func DraftNotice(in *yuncang.Incident, merchants []string) Notice {
	cats := in.Categories
	if cats == "" {
		cats = DefaultCategories
	}
	window := fmt.Sprintf("%s 至 %s (UTC)", in.WindowStart.UTC().Format("2006-01-02 15:04"), in.WindowEnd.UTC().Format("2006-01-02 15:04"))
	body := func(to string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "个人信息安全事件通知 (PIPL 第五十七条) — 事件编号 %d\n致: %s\n\n", in.ID, to)
		fmt.Fprintf(&b, "一、涉及的个人信息种类: %s\n", cats)
		fmt.Fprintf(&b, "    受影响记录估计: %d 个订单 (审计日志中账号 %s 在 %s 查看明文或打印面单的不同订单数)\n", in.AffectedOrders, in.ActorName, window)
		fmt.Fprintf(&b, "二、事件原因: %s\n", in.Cause)
		fmt.Fprintf(&b, "三、可能造成的危害: %s\n", in.Harm)
		fmt.Fprintf(&b, "四、已采取的补救措施: %s\n", in.Remedies)
		fmt.Fprintf(&b, "五、个人可以采取的减轻危害的措施: %s\n", in.IndividualMeasures)
		fmt.Fprintf(&b, "六、联系方式: %s\n", in.Contact)
		return b.String()
	}
	to := "受影响的商家 (merchants): " + strings.Join(merchants, ", ")
	if len(merchants) == 0 {
		to = "受影响的商家 (merchants): 无 (none found in the audit log)"
	}
	return Notice{ToMerchants: body(to), ToAuthorities: body("网信部门及邮政管理部门 (CAC and the postal authority)")}
}
