package console

func init() {
	for k, v := range map[string][2]string{
		"nav.audit":           {"审计日志", "Audit log"},
		"audit.title":         {"审计日志", "Audit log"},
		"audit.kind":          {"动作", "Action"},
		"audit.user_id":       {"账号 ID", "Account id"},
		"audit.target":        {"对象", "Record"},
		"audit.since":         {"起始时间", "Since"},
		"audit.until":         {"截止时间", "Until"},
		"audit.filter":        {"筛选", "Filter"},
		"audit.checkpoint":    {"签名检查点", "Signed checkpoint"},
		"audit.size":          {"记录数", "Records"},
		"audit.root":          {"树根哈希", "Tree root"},
		"audit.no_checkpoint": {"尚无签名检查点，记录暂不能证明。", "No signed checkpoint yet: records cannot be proven."},
		"audit.outcome":       {"结果", "Outcome"},
		"audit.detail":        {"详情", "Detail"},
		"audit.proof":         {"包含证明", "Inclusion proof"},
		"audit.verify":        {"在本页验证", "Verify here"},
		"audit.not_covered":   {"晚于检查点", "after the checkpoint"},
		"audit.export":        {"导出", "Export"},
		"audit.export_note":   {"导出文件末行附签名检查点，可逐条证明；导出本身记入审计日志。", "The export ends with the signed checkpoint, against which each record can be proven; the export itself is logged."},
		"audit.none":          {"没有符合条件的记录。", "No records match."},
		"audit.proof_ok":      {"✓ 已验证：记录在检查点的树中", "✓ Verified: the record is in the checkpoint's tree"},
		"audit.proof_bad":     {"✗ 验证失败", "✗ Does not verify"},
		"audit.proof_wait":    {"验证中…", "Checking…"},
	} {
		messages[k] = v
	}
}
