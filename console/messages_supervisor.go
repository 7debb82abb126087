package console

func init() {
	for k, v := range map[string][2]string{
		"nav.supervisor":          {"班组管理", "Supervisor"},
		"nav.alerts":              {"告警队列", "Alerts"},
		"supervisor.title":        {"班组管理", "Supervisor"},
		"supervisor.open":         {"条待处理", "open"},
		"supervisor.on_shift":     {"当班人员", "Staff on shift"},
		"supervisor.off_shift":    {"不在班次内", "Off shift"},
		"supervisor.shift":        {"班次", "Shift"},
		"supervisor.no_shift":     {"不限班次", "no shift window"},
		"supervisor.devices":      {"工位与设备", "Stations and devices"},
		"supervisor.device_code":  {"设备编号", "Code"},
		"supervisor.device_name":  {"名称", "Name"},
		"supervisor.device_kind":  {"类型", "Kind"},
		"supervisor.device_state": {"状态", "State"},
		"supervisor.active":       {"在用", "active"},
		"supervisor.revoked":      {"已吊销", "revoked"},
		"device.packing_station":  {"打包工位", "packing station"},
		"device.office_desk":      {"办公工位", "office desk"},
		"device.print_gateway":    {"打印网关", "print gateway"},
		"device.carrier_client":   {"承运商手持", "carrier handheld"},
		"alerts.title":            {"告警队列", "Alerts queue"},
		"alerts.when":             {"时间", "When"},
		"alerts.rule":             {"规则", "Rule"},
		"alerts.response":         {"处置", "Response"},
		"alerts.review":           {"审核", "Review"},
		"alerts.decision":         {"结论", "Decision"},
		"alerts.confirmed":        {"确认异常", "confirmed"},
		"alerts.dismissed":        {"误报，关闭", "dismissed"},
		"alerts.note":             {"说明", "Note"},
		"alerts.submit":           {"提交审核", "Submit review"},
		"alerts.none":             {"没有待处理的告警。", "No open alerts."},
		"alerts.recent":           {"最近已审核", "Recently reviewed"},
		"alerts.reviewed":         {"告警已审核。", "The alert is reviewed."},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"nav.access":        {"权限复核", "Access review"},
		"access.title":      {"权限复核", "Access review"},
		"access.past_due":   {"逾期未复核的账号", "Accounts past their review"},
		"access.status":     {"状态", "Status"},
		"access.can":        {"可执行", "Can"},
		"access.last":       {"最近活动", "Last acted"},
		"access.due":        {"复核到期", "Review due"},
		"access.offboard":   {"立即停用", "Offboard now"},
		"access.reason":     {"原因", "Reason"},
		"access.confirm":    {"确认停用该账号并吊销其全部会话", "Disable this account and revoke all its sessions"},
		"access.offboarded": {"账号已停用，其会话和令牌已全部吊销。", "The account is disabled; its sessions and tokens are revoked."},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"nav.approvals":            {"双人审批", "Four-eyes approvals"},
		"approvals.title":          {"待审批的双人复核请求", "Requests waiting for a second person"},
		"approvals.request":        {"请求", "Request"},
		"approvals.kind":           {"类型", "Kind"},
		"approvals.target":         {"对象账号", "Account"},
		"approvals.change":         {"变更", "Change"},
		"approvals.decide":         {"决定", "Decide"},
		"approvals.approve":        {"批准", "Approve"},
		"approvals.reject":         {"拒绝", "Reject"},
		"approvals.none":           {"没有待审批的请求。", "No requests are waiting."},
		"approvals.requested":      {"申请时间", "Requested"},
		"approvals.expires":        {"过期时间", "Expires"},
		"approvals.new_account":    {"新账号", "new account"},
		"approvals.shift_lifted":   {"取消班次限制", "lifts the shift"},
		"approvals.decided":        {"已处理该请求。", "The request is decided."},
		"approvals.code_part":      {"您的一半开通码（交给本人，只显示这一次）", "Your half of the enrolment code (hand it to the person; shown this once)"},
		"approvals.token":          {"API 令牌（只显示这一次）", "API token (shown this once)"},
		"approvals.webhook_secret": {"承运商回调密钥（只显示这一次）", "Carrier webhook secret (shown this once)"},
		"approvals.once":           {"离开本页后无法再次查看。", "It cannot be seen again once you leave this page."},
	} {
		messages[k] = v
	}
}
