package console

func init() {
	for k, v := range map[string][2]string{
		"nav.keys":           {"安全密钥", "Security keys"},
		"keys.title":         {"安全密钥", "Security keys"},
		"keys.explain":       {"安全密钥（通行密钥或 USB 密钥）可代替动态验证码用于登录和再次验证：需要按一下密钥，远程控制软件无法代劳。", "A security key (a passkey or a USB key) can stand in for the one-time code at sign-in and step-up: it takes a press on the key, which no remote-control program can make."},
		"keys.label":         {"名称", "Name"},
		"keys.created":       {"登记时间", "Registered"},
		"keys.last_used":     {"上次使用", "Last used"},
		"keys.never":         {"从未", "never"},
		"keys.remove":        {"移除", "Remove"},
		"keys.none":          {"尚未登记安全密钥。", "No security key is registered."},
		"keys.add":           {"登记新密钥", "Register a key"},
		"keys.new_title":     {"登记安全密钥", "Register a security key"},
		"keys.new_explain":   {"为密钥起个名字，点击登记，然后按一下密钥。", "Name the key, click Register, then press the key."},
		"keys.register":      {"登记", "Register"},
		"keys.failed":        {"安全密钥未能完成验证，请重试。", "The security key did not complete; try again."},
		"keys.added":         {"安全密钥已登记。", "The security key is registered."},
		"keys.removed":       {"安全密钥已移除。", "The security key is removed."},
		"login.use_key":      {"使用安全密钥", "Use security key"},
		"login.key_password": {"请先输入密码。", "Enter your password first."},
		"stepup.use_key":     {"使用安全密钥", "Use security key"},
	} {
		messages[k] = v
	}
}
