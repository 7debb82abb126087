package console

func init() {
	for k, v := range map[string][2]string{
		"nav.guard":            {"防护设置", "Guard"},
		"guard.title":          {"异常行为防护设置", "Guard settings"},
		"guard.night":          {"夜间时段", "Night"},
		"guard.night_suspend":  {"夜间停用阈值", "suspend after"},
		"guard.pages":          {"列表翻页", "List pages"},
		"guard.stepup":         {"需再次验证", "step-up at"},
		"guard.suspend":        {"停用", "suspend at"},
		"guard.alert":          {"告警", "alert at"},
		"guard.sequential":     {"连续遍历阈值", "Sequential walk"},
		"guard.spread":         {"每分钟分散访问阈值", "Spread per minute"},
		"guard.denials":        {"越权拒绝", "Denials"},
		"guard.phone_searches": {"货主每日手机号搜索上限", "Merchant phone searches a day"},
		"guard.volumes":        {"各类操作的量阈值（相对个人基线）", "Volume limits per action (against the person's baseline)"},
		"guard.quotas":         {"查看收件人配额", "Reveal quotas"},
		"guard.per_hour":       {"每小时", "per hour"},
		"guard.per_day":        {"每天", "per day"},
		"guard.ceiling":        {"货主每日总上限：近 7 天最忙一天的发货量", "Merchant's daily ceiling: busiest day shipped in 7 days"},
		"guard.off":            {"本服务器未启用防护。", "The guard is off on this server."},
	} {
		messages[k] = v
	}
}
