package pii

import "strings"

// Kinds of personal data that only free text carries (remarks, notes,
// merchant order ids), for Finding.Kind.
const (
	KindName    = "name"    // a person's name after a context word, or before 先生/女士
	KindAddress = "address" // house, building, unit, room or floor numbers
	KindEmail   = "email"
	KindChatID  = "chat_id" // a QQ number or WeChat id after its context word
)

// freeText finds the forms that the number scanner does not: names in
// context, address tails, phones written with Chinese numerals, odd
// separators or small groups, e-mail addresses and QQ/WeChat ids. r is the
// folded text. Matches may overlap each other and the number scanner's; the
// caller keeps the first and longest. Every matcher is linear in len(r).
// cl is the class of the text (runesClass): a matcher that needs a kind of
// rune the text does not hold is not run (allClasses runs them all). The
// calls are direct so that r stays on the stack.
func freeText(r []rune, cl runeClass, found func(match)) {
	n := &freeTextNeeds
	if n[mSpelled].met(cl) {
		scanSpelledPhones(r, found)
	}
	if n[mReversed].met(cl) {
		scanReversedPhones(r, found)
	}
	if n[mSpacedID].met(cl) {
		scanSpacedIDs(r, found)
	}
	if n[mLetterPhone].met(cl) {
		scanLetterPhones(r, found)
	}
	if n[mWordPhone].met(cl) {
		scanWordPhones(r, found)
	}
	if n[mAssembled].met(cl) {
		scanAssembledPhones(r, found)
	}
	if n[mAddress].met(cl) {
		scanAddressTails(r, found)
	}
	if n[mEnglishRoom].met(cl) {
		scanEnglishRooms(r, found)
	}
	if n[mRoomTriple].met(cl) {
		scanRoomTriples(r, found)
	}
	if n[mPlace].met(cl) {
		scanPlaceNumbers(r, found)
	}
	if n[mEmail].met(cl) {
		scanEmails(r, found)
	}
	if n[mSpelledEmail].met(cl) {
		scanSpelledEmails(r, found)
	}
	if n[mChatID].met(cl) {
		scanChatIDs(r, found)
	}
	if n[mName].met(cl) {
		scanNames(r, found)
	}
	if n[mIDName].met(cl) {
		idShapedName(r, found)
	}
}

// need is what a text must hold for a matcher to find anything in it: a
// rune of one of the classes any (if not 0), and of each class in all.
type need struct{ any, all runeClass }

func (n need) met(cl runeClass) bool {
	return (n.any == 0 || cl&n.any != 0) && cl&n.all == n.all
}

// The free-text matchers, in the order they run.
const (
	mSpelled = iota
	mReversed
	mSpacedID
	mLetterPhone
	mWordPhone
	mAssembled
	mAddress
	mEnglishRoom
	mRoomTriple
	mPlace
	mEmail
	mSpelledEmail
	mChatID
	mName
	mIDName
	nMatchers
)

// freeTextNeeds says what each matcher needs:
//   - a spelled phone starts with a digit in any encoding;
//   - backward phones, grouped ID numbers and phones with look-alike
//     letters need ASCII digits (11, 18 and at least 5 of them);
//   - a phone spelled in English needs a number word, in ASCII letters;
//   - an address tail needs a number (numerals, or a building letter) and
//     a house word after it, and a name after an address needs the address;
//   - an English room number needs its word and a digit;
//   - a-b-c room numbers are ASCII digits;
//   - a phone assembled from groups needs digits in any encoding;
//   - a number after a compound or parking word holds ASCII digits;
//   - an e-mail needs @, a chat id its QQ or WeChat word; a spelled-out
//     e-mail ends with a top-level domain in ASCII letters;
//   - a name is found only at a context word, 送…家, a title, a proxy word,
//     收 or 的 (谭文鹏的包裹); a name in an identifier-shaped text needs the
//     identifier's ASCII letters or digits. (Names beside a phone are looked
//     for only beside the phones found: scanAll.)
var freeTextNeeds = [nMatchers]need{
	mSpelled:      {any: clPhoneDigit},
	mReversed:     {all: clDigit},
	mSpacedID:     {all: clDigit},
	mLetterPhone:  {all: clDigit},
	mWordPhone:    {all: clLetter},
	mAssembled:    {any: clPhoneDigit},
	mAddress:      {any: clAddrNum | clLetter, all: clTail},
	mEnglishRoom:  {all: clLetter | clDigit},
	mRoomTriple:   {all: clDigit},
	mPlace:        {all: clDigit},
	mEmail:        {all: clAt},
	mSpelledEmail: {all: clLetter},
	mChatID:       {all: clChat},
	mName:         {all: clName},
	mIDName:       {any: clDigit | clLetter},
}

// numbersNeed is what the number scanner (scan) needs: every number holds
// ASCII digits.
var numbersNeed = need{all: clDigit}

// allClasses holds every class: every matcher runs.
const allClasses = ^runeClass(0)

// canFind says, for each class of text, whether any matcher (the number
// scanner or a free-text one) may find something in it.
var canFind = func() (t [1 << 8]bool) {
	for cl := range t {
		t[cl] = numbersNeed.met(runeClass(cl))
		for _, n := range freeTextNeeds {
			t[cl] = t[cl] || n.met(runeClass(cl))
		}
	}
	return t
}()

// --- phones in any encoding -------------------------------------------------

// phoneDigit reads a digit written as an ASCII digit (full-width ones are
// already folded) or a Chinese numeral, including the radio forms 幺 (1),
// 两 (2), 拐 (7), 勾 (9) and 洞 (0) and the financial forms.
func phoneDigit(c rune) (byte, bool) {
	if isDigit(c) {
		return byte(c), true
	}
	switch c {
	case '〇', '零', '○', '洞', 'Ｏ':
		return '0', true
	case '拐': // radio forms: 拐 for 7, 勾 for 9 (幺 and 洞 below and above)
		return '7', true
	case '勾':
		return '9', true
	case '一', '幺', '壹':
		return '1', true
	case '二', '两', '贰':
		return '2', true
	case '三', '叁', '参':
		return '3', true
	case '四', '肆':
		return '4', true
	case '五', '伍':
		return '5', true
	case '六', '陆':
		return '6', true
	case '七', '柒':
		return '7', true
	case '八', '捌':
		return '8', true
	case '九', '玖':
		return '9', true
	}
	return 0, false
}

// isPhoneDigit reports a digit in any encoding phoneDigit reads, or an
// enclosed number (⑬, ⑧), which stands for one or two digits.
func isPhoneDigit(c rune) bool { return classOf(c)&clPhoneDigit != 0 }

// isPhoneDigitSlow is isPhoneDigit from its definition, for classTable.
func isPhoneDigitSlow(c rune) bool {
	if _, ok := phoneDigit(c); ok {
		return true
	}
	_, ok := enclosedNumber(c)
	return ok
}

// isPhoneSep reports the characters people put between the digits of a
// phone number to get it past a filter: punctuation, commas (a Chinese
// IME's ，), brackets around a group (138(1234)5678; full-width ones are
// folded) and invisible characters.
func isPhoneSep(c rune) bool {
	switch c {
	case ' ', '-', '.', '_', '·', '/', '、', '~', '\\', '|', '+',
		',', '，', ';', '；', '(', ')', '[', ']', '【', '】', '「', '」', '〔', '〕',
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', // invisible ones too
		'\ufe0e', '\ufe0f', '\u20e3': // and what turns a digit into a keycap emoji (1️⃣)
		return true
	}
	return false
}

type group struct{ start, end int }

// joiners split a phone number in two with a word: 1381234 和 5678.
var joiners = newWords("和", "与", "跟", "及", "加", "再加", "然后", "后面是", "后四位", "尾号", "and", "&")

// joinerAt returns the end of a joiner at i, with up to two spaces either
// side, if a digit follows; or i.
func joinerAt(r []rune, i int) int {
	j := i
	for j < len(r) && j-i < 2 && r[j] == ' ' {
		j++
	}
	_, n := joiners.at(r, j)
	if n == 0 {
		return i
	}
	j += n
	for k := 0; k < 3 && j < len(r) && (r[j] == ' ' || r[j] == ':'); k++ {
		j++
	}
	if j < len(r) && isPhoneDigit(r[j]) {
		return j
	}
	return i
}

// scanSpelledPhones reads chains of digits (in any encoding) joined by up to
// three separator characters, and reports each run of whole groups that
// spells a mobile number (with an optional 86 or 0086 prefix) or, when the
// chain is written in an unusual way, a landline number.
func scanSpelledPhones(r []rune, found func(match)) {
	var gbuf [8]group // most chains have fewer groups: no allocation
	gs := gbuf[:0]
	for i := 0; i < len(r); {
		if !isPhoneDigit(r[i]) || i > 0 && isPhoneDigit(r[i-1]) {
			i++
			continue
		}
		gs = gs[:0]
		odd := false // Chinese numerals or separators the number scanner does not take
		j := i
		for {
			s := j
			for j < len(r) && isPhoneDigit(r[j]) {
				if !isDigit(r[j]) {
					odd = true
				}
				j++
			}
			gs = append(gs, group{s, j})
			k := j
			for k < len(r) && k-j < 3 && isPhoneSep(r[k]) {
				k++
			}
			if k < len(r) && !isPhoneDigit(r[k]) {
				if e := joinerAt(r, j); e > j {
					k = e
				}
			}
			if k == j || k >= len(r) || !isPhoneDigit(r[k]) {
				break
			}
			if k-j > 1 || r[j] != ' ' && r[j] != '-' && r[j] != '.' {
				odd = true
			}
			j = k
		}
		if isAmount(r, gs) {
			i = j
			continue
		}
		afterLetter := i > 0 && isASCIIAlnum(r[i-1])
		phonesInChain(r, gs, false, odd, afterLetter, found)
		i = j
	}
}

// isAmount reports whether the chain gs is an amount written with
// thousands separators (¥13,800,000,000, 13,800,000,000.00, 1,380,000元),
// not a phone: 1 to 3 ASCII digits, then groups of exactly 3 joined by one
// comma, then a decimal part or money around it.
func isAmount(r []rune, gs []group) bool {
	n := len(gs)
	decimal := n > 2 && gs[n-1].start-gs[n-2].end == 1 && r[gs[n-2].end] == '.' && allDigits(r[gs[n-1].start:gs[n-1].end])
	if decimal {
		n--
	}
	if n < 2 {
		return false
	}
	for i, g := range gs[:n] {
		w := g.end - g.start
		if !allDigits(r[g.start:g.end]) || i == 0 && w > 3 || i > 0 && w != 3 {
			return false
		}
		if i > 0 && (g.start-gs[i-1].end != 1 || r[g.start-1] != ',' && r[g.start-1] != '，') {
			return false
		}
	}
	return decimal || amountAround(r, gs[0].start, gs[n-1].end)
}

// amountAround reports a currency sign before r[s:e] or a unit of money
// after it.
func amountAround(r []rune, s, e int) bool {
	if s > 0 && r[s-1] == ' ' {
		s--
	}
	if s > 0 && strings.ContainsRune("¥￥$€£", r[s-1]) {
		return true
	}
	if e < len(r) && r[e] == ' ' {
		e++
	}
	return e < len(r) && strings.ContainsRune("元块圆万亿円", r[e]) || hasPrefixRunes(r[e:], "RMB") || hasPrefixRunes(r[e:], "CNY") || hasPrefixRunes(r[e:], "USD")
}

// phonesInChain looks for whole-group runs of gs that spell a phone number;
// words says that a group may be an English digit word (scanWordPhones).
// A run of more than 15 digits is never one.
func phonesInChain(r []rune, gs []group, words, odd, afterLetter bool, found func(match)) {
	var buf [48]byte
	for a := 0; a < len(gs); a++ {
		d := buf[:0]
		for b := a; b < len(gs) && len(d) < 15; b++ {
			g := gs[b]
			if len(d)+2*(g.end-g.start) > len(buf) {
				break
			}
			if words {
				d = readWordGroup(d, r, g)
			} else {
				d = readDigitGroup(d, r, g)
			}
			if len(d) > 15 {
				break
			}
			plus := gs[a].start > 0 && r[gs[a].start-1] == '+'
			p, ok := spelledPhone(d, odd || plus, afterLetter && a == 0)
			if !ok {
				continue
			}
			start, end := gs[a].start, g.end
			if start > 0 && r[start-1] == '+' {
				start--
			}
			for end < len(r) && end-g.end < 2 && (r[end] == '\ufe0f' || r[end] == '\u20e3') {
				end++ // the rest of a keycap: 8️⃣
			}
			found(match{Finding: Finding{Kind: p.Kind, Start: start, End: end}, phone: p})
			a = b
			break
		}
	}
}

// spelledPhone reads d as a mobile number, with an optional 0086 prefix or
// (if odd, or after a plus sign) 86, or, if odd, as a landline with its area code. A landline glued to
// letters (SF049665595097, JD081436323153) is a waybill number.
func spelledPhone(d []byte, odd, afterLetter bool) (Phone, bool) {
	s := d // a string only once it is a phone: this runs for every run of groups
	switch {
	case len(s) == 15 && string(s[:4]) == "0086":
		s = s[4:]
	case !odd:
		// A bare "86 " before a number is too often something else.
	case len(s) == 13 && string(s[:2]) == "86":
		s = s[2:]
	}
	if len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' {
		return Phone{Kind: KindMobile, Digits: string(s)}, true
	}
	if !odd || afterLetter || len(s) < 10 || len(s) > 12 {
		return Phone{}, false
	}
	n := areaCodeLen(s)
	if n == 0 || len(s)-n < 7 || len(s)-n > 8 || s[n] < '2' {
		return Phone{}, false
	}
	return Phone{Kind: KindLandline, Digits: string(s[:n]) + "-" + string(s[n:])}, true
}

// letterDigit reads the letters that look like digits (O and o for 0, l
// and I for 1; full-width ones are folded already).
func letterDigit(c rune) (rune, bool) {
	switch c {
	case 'O', 'o':
		return '0', true
	case 'l', 'I':
		return '1', true
	}
	return 0, false
}

// scanLetterPhones finds mobile numbers with look-alike letters mixed into
// their digits (1350OO01111, １３５０００Ｏ１１１１). A letter counts as a
// digit only inside a group that holds real digits too, in a chain not glued
// to other letters or digits, and only when the chain then spells a mobile
// number: words (lol, IO) and codes (SF1O0…) are left alone.
func scanLetterPhones(r []rune, found func(match)) {
	isD := func(c rune) bool { _, ok := letterDigit(c); return ok || isDigit(c) }
	var gbuf [8]group // most chains have fewer groups: no allocation
	gs := gbuf[:0]
	for i := 0; i < len(r); {
		if !isD(r[i]) || i > 0 && (isASCIIAlnum(r[i-1]) || isPhoneDigit(r[i-1])) {
			i++
			continue
		}
		gs = gs[:0]
		letters, ok := false, true
		realDigits, lastReal := 0, false
		j := i
		for {
			s, real := j, false
			for j < len(r) && isD(r[j]) {
				if isDigit(r[j]) {
					real = true
					realDigits++
				} else {
					letters = true
				}
				j++
			}
			if !real && (len(gs) == 0 || !zeroLetters(r[s:j])) {
				ok = false // a chain starts with real digits; OOOO may stand for zeros between them
			}
			lastReal = real
			gs = append(gs, group{s, j})
			k := j
			for k < len(r) && k-j < 3 && isPhoneSep(r[k]) {
				k++
			}
			if k == j || k >= len(r) || !isD(r[k]) {
				break
			}
			j = k
		}
		if j < len(r) && (isASCIIAlnum(r[j]) || isPhoneDigit(r[j])) {
			ok = false
		}
		if ok && letters && realDigits >= 5 && lastReal {
			d := make([]rune, len(r))
			copy(d, r)
			for k := i; k < j; k++ {
				if c, ok := letterDigit(d[k]); ok {
					d[k] = c
				}
			}
			phonesInChain(d, gs, false, true, false, func(m match) {
				if m.Kind == KindMobile {
					found(m)
				}
			})
		}
		i = max(j, i+1)
	}
}

// zeroLetters reports a group of letters that all look like zero (OOOO).
func zeroLetters(r []rune) bool {
	for _, c := range r {
		if c != 'O' && c != 'o' {
			return false
		}
	}
	return len(r) > 0
}

// --- address tails ----------------------------------------------------------

// houseWords end the part of an address that names a house, building, unit,
// floor or room; longer words first.
var tailWords = newWords("房间", "号楼", "号院", "号房", "号铺", "单元", "号", "弄", "幢", "栋", "室", "层", "楼", "座", "户", "排", "巷")

// afterDateHao are words after 号 that make it a day of the month (5号前,
// 12号下午) or a size (5号电池, 42号码), not a house number.
const afterDateHao = "前后之以左上下中晚早当那这发到送电码色线"

// isAddrNumeral reads the numerals an address number is written with: a
// digit in any encoding but the radio words, or isAddrExtra.
func isAddrNumeral(c rune) bool { return classOf(c)&clAddrNum != 0 }

// isAddrExtra reports the numerals of an address number that are no digit.
func isAddrExtra(c rune) bool {
	return c == '十' || c == '百' || c == '千' || c == '拾' || c == '佰'
}

// isRadioWord reports the radio digits that are words too (左拐3号楼, 勾选):
// 拐 (7) and 勾 (9) are digits of a phone, never of a house number.
func isRadioWord(c rune) bool { return c == '拐' || c == '勾' }

// scanAddressTails finds numbers followed by a house word (4号, 5幢, 三单元,
// 601室, 12A号) and the numbers chained to them (3栋1203), and stars the
// numbers, keeping the words.
func scanAddressTails(r []rune, found func(match)) {
	for i := 0; i < len(r); {
		s, e, ok := addrNumber(r, i)
		if !ok {
			i++
			continue
		}
		w := tailWordAt(r, e, s)
		if w == 0 {
			i = max(e, i+1)
			continue
		}
		start, end := s, e+w
		masked := []rune(starNumbers(r[s:e]) + string(r[e:e+w]))
		// More numbers of the same tail: 4号5幢3单元601室, 3栋1203.
		for {
			s2, e2, ok := addrNumber(r, end)
			if !ok || s2 != end {
				break
			}
			w2 := tailWordAt(r, e2, s2)
			masked = append(masked, []rune(starNumbers(r[s2:e2])+string(r[e2:e2+w2]))...)
			end = e2 + w2
			if w2 == 0 {
				// 8号3-2-301: the unit-room tail goes with its house.
				for k := 0; k < 3 && end+1 < len(r) && r[end] == '-' && isDigit(r[end+1]); k++ {
					e3 := runEnd(r, end+1)
					masked = append(append(masked, '-'), []rune(stars(e3-end-1))...)
					end = e3
				}
				break
			}
		}
		found(match{Finding: Finding{Kind: KindAddress, Start: start, End: end}, repl: string(masked)})
		if s, e, ok := nameAfterAddress(r, end); ok {
			found(nameMatch(r, s, e)) // 文三路4号 欧阳娜娜
		}
		i = end
	}
}

// addrNumber reads a house number at i: numerals, optionally with one ASCII
// letter before or after (B1203, 12A). It must not continue a longer
// alphanumeric token.
func addrNumber(r []rune, i int) (start, end int, ok bool) {
	if i >= len(r) {
		return 0, 0, false
	}
	start = i
	j := i
	if isASCIILetter(r[j]) && (i == 0 || !isASCIIAlnum(r[i-1])) && (j+1 >= len(r) || !isASCIIAlnum(r[j+1])) {
		return i, i + 1, true // A座, B栋: a building letter
	}
	if isASCIILetter(r[j]) && j+1 < len(r) && isDigit(r[j+1]) {
		j++
	}
	if j >= len(r) || !isAddrNumeral(r[j]) || i > 0 && (isAddrNumeral(r[i-1]) || isASCIIAlnum(r[i-1])) {
		return 0, 0, false
	}
	for j < len(r) && isAddrNumeral(r[j]) {
		j++
	}
	if j-start > 8 {
		return 0, 0, false
	}
	if j < len(r) && isASCIILetter(r[j]) && (j+1 >= len(r) || !isASCIIAlnum(r[j+1])) {
		j++
	}
	return start, j, true
}

// tailWordAt returns the length of the house word at e, or 0. s is where
// its number starts, for the date test.
func tailWordAt(r []rune, e, s int) int {
	_, n := tailWords.at(r, e)
	if n == 1 && r[e] == '号' {
		if s > 0 && (r[s-1] == '月' || r[s-1] == '第') || e+1 < len(r) && strings.ContainsRune(afterDateHao, r[e+1]) {
			return 0
		}
	}
	return n
}

func starNumbers(r []rune) string { return stars(len(r)) }

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// roomWords introduce a bare room number (门牌 707, 房号 7-707).
var roomWords = newWords("门牌号", "门牌", "房号", "房间号", "房间", "门号", "室号")

// scanRoomTriples finds building-unit-room numbers written a-b-c (7-7-707,
// 12-3-1201), and after a room word also a-b and a bare number. A date
// (10-01-2023) is left alone.
func scanRoomTriples(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		if !isDigit(r[i]) || i > 0 && (isASCIIAlnum(r[i-1]) || strings.ContainsRune("-._/", r[i-1])) {
			continue
		}
		var pbuf [4]group
		parts := pbuf[:0] // at most 4
		j := i
		for {
			s := j
			for j < len(r) && isDigit(r[j]) {
				j++
			}
			parts = append(parts, group{s, j})
			if len(parts) < 4 && j+1 < len(r) && r[j] == '-' && isDigit(r[j+1]) {
				j++
				continue
			}
			break
		}
		if j < len(r) && (isASCIIAlnum(r[j]) || strings.ContainsRune("-._/:", r[j])) {
			i = j
			continue
		}
		if roomTriple(r, parts) || afterRoomWord(r, i) && len(parts) <= 3 && j-i <= 12 {
			found(match{Finding: Finding{Kind: KindAddress, Start: i, End: j}, repl: maskDigitsOnly(r[i:j])})
		}
		i = j
	}
}

func roomTriple(r []rune, p []group) bool {
	if len(p) != 3 {
		return false
	}
	a, b, c := p[0].end-p[0].start, p[1].end-p[1].start, p[2].end-p[2].start
	if a > 3 || b > 3 || c > 4 {
		return false
	}
	if c == 4 && (r[p[2].start] == '1' && r[p[2].start+1] == '9' || r[p[2].start] == '2' && r[p[2].start+1] == '0') {
		return false // 10-01-2023 is a date
	}
	return true
}

func afterRoomWord(r []rune, i int) bool {
	k := i
	for k > 0 && (r[k-1] == ' ' || r[k-1] == ':' || r[k-1] == '：' || r[k-1] == '是' || r[k-1] == '为') && i-k < 3 {
		k--
	}
	return roomWords.endsAt(r, k) > 0
}

func maskDigitsOnly(r []rune) string {
	out := make([]rune, len(r))
	for i, c := range r {
		if isDigit(c) {
			c = '*'
		}
		out[i] = c
	}
	return string(out)
}

// englishRoomWords introduce a flat, room or unit number in an English
// address (Apt 17F, Flat 1702, Room 1203, Unit 5B, Rm 3-201); lower case,
// longer words first.
var englishRoomWords = newWords("apartment", "apt", "flat", "room", "rm", "unit", "suite", "ste")

// scanEnglishRooms finds the number after an English room word and stars
// its digits and letters, keeping the word and any dash. The number must
// hold a digit, be at most 8 characters and not be a price (Unit 12.50).
func scanEnglishRooms(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		if !isASCIILetter(r[i]) || i > 0 && isASCIILetter(r[i-1]) {
			continue
		}
		_, n := englishRoomWords.at(r, i)
		if n == 0 {
			continue
		}
		j := i + n
		if j < len(r) && isASCIILetter(r[j]) {
			continue // a longer word: flatten, roommate, united
		}
		for k := 0; k < 3 && j < len(r) && strings.ContainsRune(" .#:", r[j]); k++ {
			j++
		}
		if j == i+n || j >= len(r) {
			continue // Unit5 could be anything: the word must be set off
		}
		s, digit := j, false
		for j < len(r) && (isASCIIAlnum(r[j]) || r[j] == '-' && j+1 < len(r) && isASCIIAlnum(r[j+1]) && j > s) {
			digit = digit || isDigit(r[j])
			j++
		}
		if !digit || j-s > 8 || j < len(r) && (r[j] == '.' || r[j] == ',') && j+1 < len(r) && isDigit(r[j+1]) || j < len(r) && r[j] == '%' {
			i = j - 1
			continue
		}
		out := make([]rune, 0, j-s)
		for _, c := range r[s:j] {
			if c != '-' {
				c = '*'
			}
			out = append(out, c)
		}
		found(match{Finding: Finding{Kind: KindAddress, Start: s, End: j}, repl: string(out)})
		i = j - 1
	}
}

// --- e-mail -----------------------------------------------------------------

func isEmailLocal(c rune) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// scanEmails finds local@domain.tld and keeps the first character of the
// local part and the domain: z***@qq.com.
func scanEmails(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		if r[i] != '@' {
			continue
		}
		s := i
		for s > 0 && isEmailLocal(r[s-1]) {
			s--
		}
		for s < i && !isASCIIAlnum(r[s]) {
			s++
		}
		e, dot := i+1, -1
		for e < len(r) && (isASCIIAlnum(r[e]) || r[e] == '.' || r[e] == '-') {
			if r[e] == '.' {
				dot = e
			}
			e++
		}
		for e > i+1 && (r[e-1] == '.' || r[e-1] == '-') {
			e--
		}
		if dot >= e-1 {
			dot = -1
			for k := i + 1; k < e; k++ {
				if r[k] == '.' {
					dot = k
				}
			}
		}
		if s == i || dot <= i+1 || e-dot-1 < 2 {
			continue
		}
		found(match{Finding: Finding{Kind: KindEmail, Start: s, End: e},
			repl: string(r[s]) + "***@" + string(r[i+1:e])})
		i = e - 1
	}
}

// --- QQ and WeChat ids -------------------------------------------------------

// chatWords introduce a QQ number or WeChat id (ASCII in lower case);
// the first four introduce a QQ number.
var chatWords = newWords("qq号", "qq", "扣扣", "企鹅号",
	"微信号", "微信", "薇信", "威信", "v信", "weixin", "wechat", "vx", "wx")

const qqWords = 4

// scanChatIDs finds a QQ number (5 to 12 digits, in any encoding) or a
// WeChat id (5 to 20 letters, digits, _ or -) after its context word, and
// keeps only the id's first character.
func scanChatIDs(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		if i > 0 && isASCIILetter(r[i-1]) {
			continue
		}
		word, n := chatWords.at(r, i)
		if word < 0 {
			continue
		}
		j := i + n
		if r[i] < 0x80 && j < len(r) && isASCIILetter(r[j]) {
			continue // a longer word: wxyz, qqmail
		}
		glued := true
		for k := 0; k < 4 && j < len(r) && strings.ContainsRune(" :：是为号码\u3000", r[j]); k++ {
			j++
			glued = false
		}
		s := j
		if word < qqWords {
			for j < len(r) && isPhoneDigit(r[j]) {
				j++
			}
			if j-s < 5 || j-s > 12 || j < len(r) && isASCIIAlnum(r[j]) {
				continue
			}
		} else {
			for j < len(r) && (isASCIIAlnum(r[j]) || r[j] == '_' || r[j] == '-') {
				j++
			}
			if j-s < 5 || j-s > 20 || glued && !allDigits(r[s:j]) {
				continue
			}
		}
		found(match{Finding: Finding{Kind: KindChatID, Start: s, End: j}, repl: string(r[s]) + stars(j-s-1)})
		i = j - 1
	}
}
