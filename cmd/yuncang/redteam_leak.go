package main

import (
	"strings"
	"unicode"
)

// leakIndex is the referee's list of what must not leave the server in
// plaintext: every seeded recipient's full name, phone and the house /
// unit / room tail of the address, plus what scenarios plant in free text.
// scan finds them in any response body, however they are written: phones
// with spaces, dots, dashes, underscores, +86, full-width digits or Chinese
// numerals; address tails with any of 号/幢/栋/单元/室/楼/层/弄 or a-b-c.
type leakIndex struct {
	phones map[string][]string // 11 ASCII digits -> records
	names  map[string][]string // full name -> records
	tails  map[string][]string // address tail key ("1088-3-502") -> records
	lits   map[string][]string // e-mail addresses, QQ / WeChat ids -> records (found as written)
	moids  map[string]string   // merchant order id -> record (records merely seen)
	maxLen int                 // longest name, in runes
	// safe holds the addresses: a "name" that is also part of a place or
	// road name (金山, 文华) is not evidence of anything.
	safe []string
}

func newLeakIndex() *leakIndex {
	return &leakIndex{phones: map[string][]string{}, names: map[string][]string{}, tails: map[string][]string{}, lits: map[string][]string{}, moids: map[string]string{}}
}

// addRecipient registers one order's recipient.
func (ix *leakIndex) addRecipient(record, moid, name, phone, address string) {
	ix.moids[moid] = record
	ix.addName(record, name)
	ix.addPhone(record, phone)
	ix.addTail(record, address)
	ix.safe = append(ix.safe, address)
}

// addName registers a person's name (2+ characters).
func (ix *leakIndex) addName(record, name string) {
	if n := len([]rune(name)); n >= 2 {
		ix.names[name] = appendOnce(ix.names[name], record)
		ix.maxLen = max(ix.maxLen, n)
	}
}

// addPhone registers a phone number in any written form.
func (ix *leakIndex) addPhone(record, phone string) {
	for _, d := range digitRuns(phone) {
		if len(d) >= 11 {
			k := d[len(d)-11:]
			ix.phones[k] = appendOnce(ix.phones[k], record)
		}
	}
}

// addLiteral registers an identifier found only as written (an e-mail
// address, a QQ number).
func (ix *leakIndex) addLiteral(record, s string) {
	ix.lits[s] = appendOnce(ix.lits[s], record)
}

// addTail registers the house / unit / room part of an address (or of a
// fragment planted in free text): its last run of two or more numbers.
func (ix *leakIndex) addTail(record, text string) {
	keys := tailKeys(text)
	if len(keys) == 0 {
		return
	}
	k := keys[len(keys)-1]
	ix.tails[k] = appendOnce(ix.tails[k], record)
}

// finish drops names that also occur in addresses.
func (ix *leakIndex) finish() {
	for n := range ix.names {
		for _, s := range ix.safe {
			if strings.Contains(s, n) {
				delete(ix.names, n)
				break
			}
		}
	}
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// leak is what one body gave away: record -> fields ("name", "phone",
// "address").
type leak map[string]map[string]bool

func (l leak) add(records []string, field string) {
	for _, r := range records {
		if l[r] == nil {
			l[r] = map[string]bool{}
		}
		l[r][field] = true
	}
}

// scan returns the records a body leaks and the records it merely names
// (by merchant order id).
func (ix *leakIndex) scan(body string) (leak, map[string]bool) {
	out := leak{}
	for _, d := range digitRuns(body) {
		for i := 0; i+11 <= len(d); i++ {
			if rs, ok := ix.phones[d[i:i+11]]; ok {
				out.add(rs, "phone")
			}
		}
	}
	for _, k := range tailKeys(body) {
		for tk, rs := range ix.tails {
			// A tail several addresses share (6号楼806室) identifies none.
			// A body's run may carry numbers before the tail (枫林路 12
			// 1187号 9-2-1001); only a tail of three or more numbers is
			// specific enough to be found inside a longer run.
			if len(rs) == 1 && (k == tk || strings.Count(tk, "-") >= 2 && strings.HasSuffix(k, "-"+tk)) {
				out.add(rs, "address")
			}
		}
	}
	for l, rs := range ix.lits {
		if strings.Contains(body, l) {
			out.add(rs, "contact")
		}
	}
	// Names: the longest match at each place; a name several recipients
	// share identifies none of them.
	rs := []rune(body)
	for i := 0; i < len(rs); i++ {
		if !unicode.Is(unicode.Han, rs[i]) {
			continue
		}
		for n := min(ix.maxLen, len(rs)-i); n >= 2; n-- {
			if recs, ok := ix.names[string(rs[i:i+n])]; ok {
				if len(recs) == 1 {
					out.add(recs, "name")
				}
				i += n - 1
				break
			}
		}
	}
	seen := map[string]bool{}
	if len(ix.moids) > 0 {
		for _, w := range strings.FieldsFunc(body, func(r rune) bool { return r == '"' || r == ',' || r == ' ' || r == '\n' || r == '^' }) {
			if r, ok := ix.moids[w]; ok {
				seen[r] = true
			}
		}
	}
	for r := range out {
		seen[r] = true
	}
	return out, seen
}

// foldDigit maps full-width digits and Chinese numerals (including 幺 for
// one, 两 for two, 拐 for seven, 勾 for nine and 洞 for zero, as phone
// numbers are read out) to ASCII digits.
func foldDigit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '０' && r <= '９':
		return byte('0' + r - '０'), true
	}
	if i := strings.IndexRune("〇一二三四五六七八九", r); i >= 0 {
		return byte('0' + len([]rune("〇一二三四五六七八九"[:i]))), true
	}
	switch r {
	case '零':
		return '0', true
	case '幺':
		return '1', true
	case '两':
		return '2', true
	case '拐': // the radio forms of 7, 9 and 0
		return '7', true
	case '勾':
		return '9', true
	case '洞':
		return '0', true
	}
	return 0, false
}

// digitRuns returns the runs of digits in s, joined across the separators
// people put inside phone numbers (spaces, dots, dashes, underscores,
// brackets); "+86" and "0086" prefixes stay attached and are covered by the
// sliding window of scan.
func digitRuns(s string) []string {
	var out []string
	var cur []byte
	pendingSep := false
	for _, r := range s {
		if d, ok := foldDigit(r); ok {
			cur = append(cur, d)
			pendingSep = false
			continue
		}
		if len(cur) > 0 && !pendingSep && strings.ContainsRune(" .-_()（）·　—+\u00a0", r) {
			pendingSep = true // one separator between digit groups
			continue
		}
		if len(cur) > 0 {
			out = append(out, string(cur))
		}
		cur, pendingSep = cur[:0:0], false
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

// foldWidth maps ASCII and full-width digits (not Chinese numerals, which
// are part of road names: 枫林一路).
func foldWidth(r rune) (byte, bool) {
	if r <= '9' || r >= '０' {
		return foldDigit(r)
	}
	return 0, false
}

// tailKeys returns the runs of two or more numbers joined only by the words
// and signs of an address tail (号, 幢, 栋, 单元, 室, 楼, 层, 弄, 座, -),
// as keys "n-n-n" (numbers without leading zeros).
func tailKeys(s string) []string {
	var out []string
	var nums []string
	var cur []byte
	gapOK := true
	flush := func() {
		if len(cur) > 0 {
			nums = append(nums, strings.TrimLeft(string(cur), "0"))
			cur = cur[:0]
		}
	}
	end := func() {
		flush()
		if len(nums) >= 2 {
			out = append(out, strings.Join(nums, "-"))
		}
		nums = nums[:0]
	}
	for _, r := range s {
		if d, ok := foldWidth(r); ok {
			if len(cur) == 0 && len(nums) > 0 && !gapOK {
				end()
			}
			cur = append(cur, d)
			gapOK = false
			continue
		}
		if len(cur) == 0 && len(nums) == 0 {
			continue
		}
		flush()
		if strings.ContainsRune("号幢栋单元室楼层弄座-－ 　", r) {
			gapOK = true
			continue
		}
		end()
		gapOK = false
	}
	end()
	return out
}
