package pii

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// matcherFuncs are the free-text matchers by their index in freeTextNeeds.
var matcherFuncs = [nMatchers]func([]rune, func(match)){
	mSpelled:      scanSpelledPhones,
	mReversed:     scanReversedPhones,
	mSpacedID:     scanSpacedIDs,
	mLetterPhone:  scanLetterPhones,
	mWordPhone:    scanWordPhones,
	mAssembled:    scanAssembledPhones,
	mAddress:      scanAddressTails,
	mEnglishRoom:  scanEnglishRooms,
	mRoomTriple:   scanRoomTriples,
	mPlace:        scanPlaceNumbers,
	mEmail:        scanEmails,
	mSpelledEmail: scanSpelledEmails,
	mChatID:       scanChatIDs,
	mName:         scanNames,
	mIDName:       idShapedName,
}

// checkFastPath fails if MaskText or Scan, which run only the matchers a
// text's runes allow, differ on text from running every matcher, or if a
// matcher that was left out finds anything in it on its own.
func checkFastPath(t *testing.T, text string) {
	t.Helper()
	fm, ff := maskText(text, false)
	sm, sf := maskText(text, true)
	if fm != sm || !reflect.DeepEqual(ff, sf) {
		t.Fatalf("MaskText(%q): fast path %q %v, full path %q %v", text, fm, ff, sm, sf)
	}
	if f, s := scanText(text, false), scanText(text, true); !reflect.DeepEqual(f, s) {
		t.Fatalf("Scan(%q): fast path %v, full path %v", text, f, s)
	}
	r := foldRunes(text)
	cl := runesClass(r)
	if cl != textClass(text) {
		t.Fatalf("textClass(%q) = %08b, the folded runes' class is %08b", text, textClass(text), cl)
	}
	found := func(name string) func(match) {
		return func(m match) {
			t.Fatalf("%s finds %v in %q, whose class %08b it does not need", name, m.Finding, text, cl)
		}
	}
	if !numbersNeed.met(cl) {
		scan(r, found("the number scanner"))
	}
	for i, n := range freeTextNeeds {
		if !n.met(cl) {
			matcherFuncs[i](r, found("free-text matcher "+strconv.Itoa(i)))
		}
	}
}

// testCorpus returns every string literal of this package's tests: the
// texts the matchers must mask or leave alone.
func testCorpus(t *testing.T) []string {
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	seen := map[string]bool{}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out
}

// TestFastPathEqualsFullPath runs checkFastPath on the test corpus, on every
// part of each text (a part may lose the rune a matcher needs: 收件人王佳
// without 收, 4号 without 号) and on random joins of parts.
func TestFastPathEqualsFullPath(t *testing.T) {
	corpus := testCorpus(t)
	if len(corpus) < 500 {
		t.Fatalf("the test corpus has %d texts; the parser missed the tables", len(corpus))
	}
	var parts []string
	for _, text := range corpus {
		r := []rune(text)
		if len(r) > 200 {
			r = r[:200]
		}
		for i := 0; i <= len(r); i++ {
			for j := i; j <= len(r) && j-i <= 24; j++ {
				parts = append(parts, string(r[i:j]))
			}
		}
	}
	for _, s := range corpus {
		checkFastPath(t, s)
	}
	for _, s := range parts {
		checkFastPath(t, s)
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := 1 + rng.IntN(4); k > 0; k-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		checkFastPath(t, b.String())
	}
	t.Logf("%d texts, %d parts", len(corpus), len(parts))
}

// TestClassTable checks the class table against the matchers' own tests,
// for every rune.
func TestClassTable(t *testing.T) {
	for c := rune(0); c <= unicode.MaxRune; c++ {
		want := charClass(c) | wordClass(c)
		if got := classOf(c); got != want {
			t.Fatalf("classOf(%U) = %08b, want %08b", c, got, want)
		}
		if isPhoneDigit(c) != isPhoneDigitSlow(c) {
			t.Fatalf("isPhoneDigit(%U) = %v", c, isPhoneDigit(c))
		}
		if isAddrNumeral(c) != (isPhoneDigitSlow(c) && !isRadioWord(c) || isAddrExtra(c)) {
			t.Fatalf("isAddrNumeral(%U) = %v", c, isAddrNumeral(c))
		}
		if isHan(c) != unicode.Is(unicode.Han, c) {
			t.Fatalf("isHan(%U) = %v", c, isHan(c))
		}
	}
	for _, c := range []rune{-1, unicode.MaxRune + 1, utf8.RuneError} {
		if classOf(c) != charClass(c)|wordClass(c) || isHan(c) != unicode.Is(unicode.Han, c) {
			t.Errorf("class of %d", c)
		}
	}
	// Spot checks of what the class says, from the definitions above.
	for c, want := range map[rune]runeClass{
		'7': clDigit | clPhoneDigit | clAddrNum, '幺': clPhoneDigit | clAddrNum, '⑬': clPhoneDigit | clAddrNum,
		'百': clAddrNum, '号': clTail, '单': clTail, '微': clChat, 'q': clLetter | clChat, 'W': clLetter | clChat,
		'收': clName, '的': clName, '拐': clPhoneDigit, '送': clName, '先': clName, '代': clName, '给': clName, '@': clAt, '请': 0, '，': 0,
		'o': clLetter, // a digit word (oh) and a room word's letter, no first rune of a chat word
	} {
		if got := classOf(c); got != want {
			t.Errorf("classOf(%q) = %08b, want %08b", c, got, want)
		}
	}
}

// TestWordsFirstRunes checks the quick test of a word list against the map
// of first runes it replaced, for every rune of the Basic Multilingual
// Plane, and that the traditional-character filter holds every key.
func TestWordsFirstRunes(t *testing.T) {
	lists := map[string]*words{"tailWords": &tailWords, "chatWords": &chatWords, "strongNameWords": &strongNameWords,
		"weakNameWords": &weakNameWords, "homeWords": &homeWords, "titles": &titles, "proxyWords": &proxyWords,
		"changeWords": &changeWords, "notNames": &notNames, "nameStops": &nameStops, "reduplicated": &reduplicated,
		"joiners": &joiners, "roomWords": &roomWords, "englishRoomWords": &englishRoomWords,
		"englishDigits": &englishDigits, "phoneWords": &phoneWords, "reversedWords": &reversedWords,
		"assembleWords": &assembleWords, "idWords": &idWords, "compoundWords": &compoundWords, "parkingWords": &parkingWords,
		"parcelWords": &parcelWords}
	for name, w := range lists {
		first := map[rune]bool{}
		for _, word := range w.list {
			first[word[0]] = true
			if word[0] >= 'a' && word[0] <= 'z' {
				first[word[0]-'a'+'A'] = true
			}
		}
		for c := rune(0); c < 0x10000; c++ {
			if w.startsWith(c) != first[c] {
				t.Fatalf("%s.startsWith(%q) = %v", name, c, w.startsWith(c))
			}
			if _, n := w.at([]rune{c}, 0); n > 0 && !first[c] {
				t.Fatalf("%s.at(%q) matches", name, c)
			}
		}
		// at finds what trying every word in order finds, on every word
		// of every list, in lower and upper case, at every position.
		refAt := func(r []rune, i int) (int, int) {
			for k, w := range w.list {
				if wordAt(r, i, w) {
					return k, len(w)
				}
			}
			return -1, 0
		}
		for _, other := range lists {
			for _, word := range other.list {
				for _, text := range []string{string(word), strings.ToUpper(string(word)), "x" + string(word) + "y"} {
					r := []rune(text)
					for i := range r {
						gk, gn := w.at(r, i)
						if wk, wn := refAt(r, i); gk != wk || gn != wn {
							t.Fatalf("%s.at(%q, %d) = %d, %d; want %d, %d", name, text, i, gk, gn, wk, wn)
						}
					}
				}
			}
		}
	}
	for c := range simplified {
		if !simplifiedKeys.mayHave(c) {
			t.Errorf("simplifiedKeys misses %q", c)
		}
	}
}

// TestCanFind: a text is passed over only when no matcher may match it.
func TestCanFind(t *testing.T) {
	for c := 0; c < len(canFind); c++ {
		cl := runeClass(c)
		some := numbersNeed.met(cl)
		for _, n := range freeTextNeeds {
			some = some || n.met(cl)
		}
		if canFind[c] != some {
			t.Fatalf("canFind[%08b] = %v", c, canFind[c])
		}
	}
	if !canFind[allClasses] {
		t.Fatal("a text of every class is passed over")
	}
	for _, n := range freeTextNeeds {
		if !n.met(allClasses) {
			t.Fatal("allClasses does not run every matcher")
		}
	}
	// Remarks without any of the forms are passed over; a digit, a
	// Chinese numeral, a name's context word or a letter is looked at.
	for s, want := range map[string]bool{"请放快递柜": false, "易碎品轻拿轻放": false, "请勿放门口": false, "": false,
		"周末不送": true, "尺码42": true, "一起发": true, "给个好评": true, "SF": true, "a@": true} {
		if got := canFind[textClass(s)]; got != want {
			t.Errorf("canFind[textClass(%q)] = %v, want %v", s, got, want)
		}
	}
}
