package console

func init() {
	for k, v := range map[string][2]string{
		"nav.admin":           {"平台管理", "Platform"},
		"admin.title":         {"平台管理", "Platform administration"},
		"admin.merchants":     {"货主", "Merchants"},
		"admin.warehouses":    {"仓库", "Warehouses"},
		"admin.carriers":      {"承运商与面单号段", "Carriers and number ranges"},
		"admin.code":          {"代码", "Code"},
		"admin.name":          {"名称", "Name"},
		"admin.division":      {"行政区划（省/市/区县）", "Division (province/city/district)"},
		"admin.province":      {"省代码（2 位）", "Province code (2 digits)"},
		"admin.city":          {"市代码（4 位）", "City code (4 digits)"},
		"admin.district":      {"区县代码（6 位）", "District code (6 digits)"},
		"admin.ranges":        {"号段", "Number ranges"},
		"admin.next":          {"下一个", "next"},
		"admin.add_merchant":  {"新增货主", "Add merchant"},
		"admin.add_warehouse": {"新增仓库", "Add warehouse"},
		"admin.created":       {"已创建。", "Created."},
	} {
		messages[k] = v
	}
}
