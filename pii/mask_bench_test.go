package pii

import "testing"

// realisticRemarks are buyer remarks as order intake sees them: most are
// short and carry no personal data, some carry a phone, a name, an address
// tail or a chat id, and many are empty (benchRemarks weights them).
var (
	plainRemarks = []string{
		"请尽快发货", "周末不送", "请放快递柜", "工作日白天送货", "请勿放门口", "周末送货",
		"放门卫室", "易碎品轻拿轻放", "不要电话联系，发短信", "送货前请联系", "请放快递柜，谢谢",
		"工作日白天送货，谢谢", "发顺丰", "包装好一点，送人的", "不要放驿站", "到了放前台就行",
		"谢谢", "请开发票", "尺码42，颜色黑色", "2件一起发", "12月5号前送到", "加急！",
		"礼物，不要放价格单", "请用纸箱包装", "下午三点以后送", "送货上门", "放门口就行，家里没人",
		"到了打电话", "收到请好评", "麻烦快点发货，急用", "订单号 2023101381234567801 请合并发货",
	}
	piiRemarks = []string{
		"到了请打电话 13812345678", "收件人王佳", "文三路4号5幢3单元601室", "联系微信 abc12345",
		"电话一三八一二三四五六七八", "送到王佳家", "李女士收", "备用电话 138，1234，5678",
		"qq 123456789", "到了交给张三先生", "门牌 7-7-707", "邮箱 zhang@qq.com",
	}
	orderIDs = []string{
		"SHOP-20261128-000123", "TB2026112800012345", "JD-88812345", "PDD20261128A0001", "ORD-7-00042",
		"DY-1128-000501", "KS20261128000001", "WX-SHOP-000777",
	}
)

// benchRemarks is a mix of remarks like intake's: half empty or plain, a
// few with personal data (1 in 6 in demodata; the plain ones here weigh more).
func benchRemarks() []string {
	var out []string
	for i := 0; i < 4; i++ {
		out = append(out, plainRemarks...)
	}
	out = append(out, piiRemarks...)
	for i := 0; i < 20; i++ {
		out = append(out, "")
	}
	return out
}

func BenchmarkMaskTextRemarks(b *testing.B) {
	texts := benchRemarks()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		MaskText(texts[i%len(texts)])
	}
}

func BenchmarkMaskTextPlain(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		MaskText(plainRemarks[i%len(plainRemarks)])
	}
}

func BenchmarkMaskTextPersonal(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		MaskText(piiRemarks[i%len(piiRemarks)])
	}
}

func BenchmarkScanOrderIDs(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Scan(orderIDs[i%len(orderIDs)])
	}
}
