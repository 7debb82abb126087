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
