package pii

import (
	"slices"
	"strings"
)

// surnames are the common single-character surnames (百家姓, by frequency),
// which a weak context word (给, 找, 联系) or a title (先生, 女士) needs
// before it takes what follows for a name.
var surnames = func() map[rune]bool {
	const list = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝萧"
	m := map[rune]bool{}
	for _, c := range list {
		m[c] = true
	}
	return m
}()

// Context words after which a name follows. Strong ones take any name;
// weak ones only a known surname and a name that ends where a name would.
var (
	strongNameWords = newWords("收件人", "收货人", "寄件人", "发件人", "联系人", "签收人", "代收人", "提货人", "姓名", "名字", "交给", "转交", "转给", "交由", "交予", "交于", "收件客户", "收件")
	weakNameWords   = newWords("联系", "送给", "寄给", "发给", "给", "找", "叫", "客户", "顾客", "买家", "致",
		// relations: 给我老公张伟打电话, 我妈王芳收
		"老公", "老婆", "丈夫", "妻子", "爱人", "媳妇", "爸爸", "妈妈", "老爸", "老妈", "爸", "妈",
		"儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹", "男朋友", "女朋友", "朋友", "同事", "室友", "舍友")
	// changeWords follow a strong context word before the new name:
	// 收件人换成李雷, 收货人改为：韩梅梅.
	changeWords = newWords("更换为", "更改为", "变更为", "更换成", "换成", "改成", "改为", "换为", "变为", "变成")
	// proxyWords follow the name of someone who takes the parcel for the
	// recipient (韩梅梅代收), or of the recipient in person (谭文鹏本人签收,
	// 请谭文鹏签收).
	proxyWords = newWords("代收", "代签", "代取", "代领", "本人", "签收")
	// homeWords come before a name that 家 follows: 送到王佳家, 送东方不败家.
	homeWords = newWords("送到", "送至", "送往", "送去", "送")
)

// weakCompounds are compound surnames that are more often ordinary words
// (第五个, 南门保安, 西门口, 司空见惯); a weak context word does not take
// them for a surname.
var weakCompounds = map[string]bool{"第五": true, "南门": true, "西门": true, "东门": true, "东里": true, "东宫": true,
	"公上": true, "公门": true, "公山": true, "百里": true, "司空": true, "单于": true, "公户": true}

// afterHome are characters after 家 that make it part of a word (家园,
// 家居, 家乐福), not someone's home.
const afterHome = "园居具乐电纺苑私政庭装"

// titles follow a surname or a name: 王先生, 李女士, 刘德华先生.
var titleList = []string{"先生", "女士", "小姐", "老师", "师傅", "阿姨", "叔叔", "大爷", "大妈"}

var titles = newWords(titleList...)

// notNames start with a surname but are ordinary words after 给, 找 or
// 联系 (联系方式, 给钱包).
var notNames = newWords("方式", "方便", "钱包", "快递", "客服", "物业", "前台", "门卫", "商家", "卖家", "店家", "时间", "明天", "任何", "安全", "金额", "单号", "包装", "好评", "石家庄", "司机", "经理", "老板", "同学", "宁波", "常州", "温州", "成都", "华为",
	"保安", "邻居", "家人", "快递柜", "驿站", "菜鸟", "丰巢", "老婆", "老公", "妈妈", "爸爸", "朋友", "同事", "公司", "本人", "我",
	"方面", "关系", "管理", "余额", "付款", "申请", "高兴", "文件", "常用", "全部", "服务", "信息", "满意", "要求",
	"周一", "周二", "周三", "周四", "周五", "周六", "周日", "周天", "周末", "包裹", "房东", "单位", "商店", "文员", "安保",
	"申通", "麻烦", "华联", "东西", "邮局", "何人",
	"安排", "高考", "应该", "明早", "明晚", "明日", "万一", "全天", "白天",
	"马上", "何时", "左边", "左侧", "高铁", "黄色", "白色", "蓝色", "金色", "江边", "全家", "时候", "一致",
	"路口", "易碎", "冷冻", "冷藏", "冷链", "常温", "毛衣", "毛巾", "石头", "黄金", "白酒", "苏宁", "包邮", "万达", "华润", "金地", "龙湖", "房间", "房号", "车位", "车库",
	"麦当劳", "安踏", "方太", "苏泊尔", "欧莱雅", "兰蔻", "古驰", "戴尔", "屈臣氏", "周大福", "周黑鸭", "周生生", "钱大妈")

// nameStops are words that end a name: titles, verbs and particles that
// follow a name in a remark (王佳电话…, 交给张三的…).
var nameStops = newWords(append([]string{"手机", "电话", "联系", "本人", "地址", "小区", "签收", "收货", "收件", "代收", "同学", "经理", "老板", "回电", "回复", "来电", "致电", "反馈"}, titleList...)...)

const nameStopRunes = "收签的打送放转代家在说处取或和及与谢请电门楼号吧呢啊了哦等也都就会要到来去拿接上下是，。、！？"

func atNameStop(r []rune, i int) bool {
	if i >= len(r) || !isHan(r[i]) {
		return true
	}
	if strings.ContainsRune(nameStopRunes, r[i]) {
		return true
	}
	_, n := nameStops.at(r, i)
	return n > 0
}

// scanNames finds names after a context word and before a title.
func scanNames(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		if !isHan(r[i]) {
			continue
		}
		if s, e, ok := nameAfterContext(r, i); ok {
			found(nameMatch(r, s, e))
			i = e - 1
			continue
		}
		if s, e, ok := nameBeforeHome(r, i); ok {
			found(nameMatch(r, s, e))
			i = e - 1
			continue
		}
		if s, ok := nameBeforeTitle(r, i); ok {
			found(nameMatch(r, s, i))
		} else if s, ok := nameBeforeProxy(r, i); ok {
			found(nameMatch(r, s, i))
		} else if s, ok := nameBeforeShou(r, i); ok {
			found(nameMatch(r, s, i))
		} else if s, ok := nameBeforeParcel(r, i); ok {
			found(nameMatch(r, s, i))
		}
	}
}

func nameMatch(r []rune, s, e int) match {
	return match{Finding: Finding{Kind: KindName, Start: s, End: e}, repl: maskSpacedName(r[s:e])}
}

// maskSpacedName masks a name with MaskName, keeping any spaces between its
// characters where they were (欧 阳 娜 娜 → 欧 阳 * *).
func maskSpacedName(r []rune) string {
	if !slices.Contains(r, ' ') {
		return MaskName(string(r))
	}
	var chars []rune
	for _, c := range r {
		if c != ' ' {
			chars = append(chars, c)
		}
	}
	m := []rune(MaskName(string(chars)))
	out := make([]rune, 0, len(r))
	k := 0
	for _, c := range r {
		if c == ' ' {
			out = append(out, c)
		} else if k < len(m) {
			out = append(out, m[k])
			k++
		}
	}
	return string(append(out, m[min(k, len(m)):]...))
}

// spacedName reads a name of two to four characters with one space between
// each (欧 阳 娜 娜, 王 佳) at s, and returns its end.
func spacedName(r []rune, s int) (int, bool) {
	e, n := s, 0
	for n < 4 && e < len(r) && isHan(r[e]) && (n == 0 || !atNameStop(r, e)) {
		n++
		if e+2 < len(r) && r[e+1] == ' ' && isHan(r[e+2]) && !atNameStop(r, e+2) && n < 4 {
			e += 2
			continue
		}
		e++
		break
	}
	return e, n >= 2 && e-s == 2*n-1
}

// maskedSpacedName reports a spaced name at s that is masked already
// (欧 阳 * *, 王 *).
func maskedSpacedName(r []rune, s int) bool {
	for e := s; e+2 < len(r) && e-s < 8 && isHan(r[e]) && r[e+1] == ' '; e += 2 {
		if r[e+2] == '*' || r[e+2] == '＊' {
			return true
		}
	}
	return false
}

// shouldNotFollowShou are characters after 收 that make it a verb of its
// own (收到, 收费, 收款), not "for the attention of".
const shouldNotFollowShou = "到费款据银入益藏购缩录拾集纳养成回取听看视音容留尾买割获"

// reduplicated are words of one character twice that are not given names
// (天天收, 慢慢收).
var reduplicated = newWords("天天", "常常", "刚刚", "慢慢", "好好", "统统", "偏偏", "渐渐", "仅仅", "往往", "处处", "人人", "家家", "个个", "早早", "快快", "轻轻", "悄悄", "默默", "多多", "谢谢", "哈哈", "呵呵", "嘿嘿", "稍稍", "通通", "全全", "样样", "件件", "次次", "每每", "时时", "匆匆", "赶紧", "马马")

// nameBeforeShou reports a name ending at 收 (for the attention of) at t,
// standing where a remark or a phrase starts (after punctuation, a space,
// a digit or 请/由/让): a known surname, simple or compound, and one or two
// more characters (欧阳娜娜收, 王佳收), or a given name of one character
// twice (娜娜收).
func nameBeforeShou(r []rune, t int) (int, bool) {
	if r[t] != '收' || t+1 < len(r) && strings.ContainsRune(shouldNotFollowShou, r[t+1]) {
		return 0, false
	}
	for _, k := range []int{4, 3, 2} {
		s := t - k
		if s < 0 || s > 0 && isHan(r[s-1]) && !strings.ContainsRune("请由让交致", r[s-1]) {
			continue
		}
		han := true
		for p, c := range r[s:t] {
			if !isHan(c) || strings.ContainsRune(nameStopRunes, c) {
				han = false
			}
			if _, n := titles.at(r, s+p); n > 0 {
				han = false // 李女士收: nameBeforeTitle's
			}
		}
		if !han {
			continue
		}
		if _, n := notNames.at(r, s); n > 0 {
			continue
		}
		compound := compoundSurnames[string(r[s:s+2])] && !weakCompounds[string(r[s:s+2])]
		if k == 2 && r[s] == r[s+1] {
			if _, n := reduplicated.at(r, s); n == 0 {
				return s, true
			}
			continue
		}
		if k == 4 && !compound || !compound && !surnames[r[s]] {
			continue
		}
		return s, true
	}
	return 0, false
}

// nameAfterAddress reads a name written after an address tail that ends at
// i (文三路4号 欧阳娜娜, 601室，王佳 138…): up to two separators, a known
// surname and one or two more characters, then the end of the remark, a
// character that is not Chinese, or 收, 电话, 手机 or a title.
func nameAfterAddress(r []rune, i int) (start, end int, ok bool) {
	s := i
	for s < len(r) && s-i < 2 && strings.ContainsRune(" ,，、;；", r[s]) {
		s++
	}
	if s >= len(r) {
		return 0, 0, false
	}
	if _, n := notNames.at(r, s); n > 0 {
		return 0, 0, false
	}
	sur := 1
	if s+2 <= len(r) && compoundSurnames[string(r[s:s+2])] && !weakCompounds[string(r[s:s+2])] {
		sur = 2
	} else if !surnames[r[s]] {
		return 0, 0, false
	}
	for e := s + sur + 1; e <= s+sur+2 && e <= len(r); e++ {
		c := r[e-1]
		if !isHan(c) || strings.ContainsRune(nameStopRunes, c) {
			return 0, 0, false
		}
		if e == len(r) || !isHan(r[e]) || r[e] == '收' {
			return s, e, true
		}
		if _, n := nameStops.at(r, e); n > 0 && !strings.ContainsRune(nameStopRunes, r[e]) {
			return s, e, true
		}
	}
	return 0, 0, false
}

// nameAfterContext reads a context word at i and the name after it.
func nameAfterContext(r []rune, i int) (start, end int, ok bool) {
	strong := true
	_, n := strongNameWords.at(r, i)
	if n == 0 {
		strong = false
		_, n = weakNameWords.at(r, i)
	}
	if n == 0 {
		return 0, 0, false
	}
	j := i + n
	if !strong && r[i] == '致' && (i > 0 && isHan(r[i-1]) || j < len(r) && r[j] == '谢') {
		return 0, 0, false // 一致, 导致, 致谢: 致 is "to" only where a remark starts
	}
	for k := 0; k < 3 && j < len(r) && strings.ContainsRune(" :：\u3000", r[j]); k++ {
		j++
	}
	if _, n := changeWords.at(r, j); strong && n > 0 {
		j += n
		if j < len(r) && r[j] == '了' {
			j++
		}
		for k := 0; k < 3 && j < len(r) && strings.ContainsRune(" :：\u3000", r[j]); k++ {
			j++
		}
	}
	if strong && j < len(r) && (r[j] == '是' || r[j] == '为') {
		j++
	}
	s := j
	if strong && s < len(r) && isASCIILetter(r[s]) {
		return latinName(r, s) // 收件人:Tan Wenpeng
	}
	if s >= len(r) || !isHan(r[s]) {
		return 0, 0, false
	}
	if _, n := notNames.at(r, s); n > 0 {
		return 0, 0, false
	}
	if maskedSpacedName(r, s) {
		return 0, 0, false
	}
	if e, ok := spacedName(r, s); strong && ok {
		return s, e, true // 收件人 欧 阳 娜 娜
	}
	sur := 1
	known := true
	if s+2 <= len(r) && compoundSurnames[string(r[s:s+2])] && (strong || !weakCompounds[string(r[s:s+2])]) {
		sur = 2
	} else if !surnames[r[s]] {
		if !strong || atNameStop(r, s) {
			return 0, 0, false
		}
		known = false
	}
	e := s + sur
	for e < len(r) && e-s < 4 && !atNameStop(r, e) {
		e++
	}
	if e < len(r) && (r[e] == '*' || r[e] == '＊') {
		return 0, 0, false // masked already: 王*
	}
	if !strong || !known {
		// 给个好评, 给我: a weak word, or a name without a known surname
		// (收件人阿依), needs a given name that ends where a name ends.
		if e == s+sur || e-s > sur+2 || !atNameStop(r, e) {
			return 0, 0, false
		}
	}
	return s, e, true
}

// nameBeforeTitle reports a name ending at the title at t: a surname and up
// to two characters (谭文鹏先生, 王佳先生), a compound surname and up to two
// (欧阳娜娜女士), or a surname alone (王先生). The longest reading wins: a
// given name may start with a surname character too (谭文鹏: 文), and
// reading it short would show the real surname and half the given name.
func nameBeforeTitle(r []rune, t int) (int, bool) {
	if _, n := titles.at(r, t); n == 0 {
		return 0, false
	}
	for _, k := range []int{4, 3, 2, 1} {
		s := t - k
		compound := s >= 0 && s+2 <= t && compoundSurnames[string(r[s:s+2])]
		if s < 0 || k == 4 && !compound || !surnames[r[s]] && !compound {
			continue
		}
		if _, n := notNames.at(r, s); n > 0 && k > 1 {
			continue
		}
		han := true
		for _, c := range r[s:t] {
			if !isHan(c) || strings.ContainsRune(nameStopRunes, c) {
				han = false
			}
		}
		if han {
			return s, true
		}
	}
	return 0, false
}

// nameBeforeHome reads 送到 (送, 送至 …) at i and a name with a known surname
// and a one- or two-character given name that 家 follows: 送到王佳家,
// 送东方不败家. 家园, 家居 and the like are not a home.
func nameBeforeHome(r []rune, i int) (start, end int, ok bool) {
	_, n := homeWords.at(r, i)
	if n == 0 {
		return 0, 0, false
	}
	s := i + n
	if s >= len(r) {
		return 0, 0, false
	}
	if _, n := notNames.at(r, s); n > 0 {
		return 0, 0, false
	}
	sur := 1
	if s+2 <= len(r) && compoundSurnames[string(r[s:s+2])] && !weakCompounds[string(r[s:s+2])] {
		sur = 2
	} else if !surnames[r[s]] {
		return 0, 0, false
	}
	for e := s + sur + 1; e <= s+sur+2 && e < len(r); e++ {
		c := r[e-1]
		if !isHan(c) || strings.ContainsRune(nameStopRunes, c) {
			return 0, 0, false
		}
		if r[e] == '家' {
			if e+1 < len(r) && strings.ContainsRune(afterHome, r[e+1]) {
				return 0, 0, false
			}
			return s, e, true
		}
	}
	return 0, 0, false
}

// nameBeforeProxy reports a name ending at the proxy word at t (韩梅梅代收,
// 让李雷代签): a known surname, simple or compound, and one or two more
// characters, the longest that fits; ordinary words that start with a
// surname (包裹代收, 周五代收, 商家代收) are not names.
func nameBeforeProxy(r []rune, t int) (int, bool) {
	if _, n := proxyWords.at(r, t); n == 0 {
		return 0, false
	}
	for _, k := range []int{4, 3, 2} {
		s := t - k
		if s < 0 {
			continue
		}
		compound := compoundSurnames[string(r[s:s+2])] && !weakCompounds[string(r[s:s+2])]
		if k == 4 && !compound || !compound && !surnames[r[s]] {
			continue
		}
		if _, n := notNames.at(r, s); n > 0 {
			continue
		}
		han := true
		for _, c := range r[s:t] {
			if !isHan(c) || strings.ContainsRune(nameStopRunes, c) {
				han = false
			}
		}
		if han {
			return s, true
		}
	}
	return 0, false
}
