package label

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// face is a label as it will be printed: every string here has passed the
// gate in prepare. Renderers draw faces, never Labels.
type face struct {
	carrier, carrierCode string
	waybill              string
	route, routeCode     string
	sortCode             string
	toName, toPhone      string
	toAddress            string
	fromName, fromPhone  string
	fromAddress          string
	weight               string
	orderRef             string
	remarks              string
	trace                string
	token                string
}

// Limits on what fits a label; longer input is refused rather than cut, so
// nothing is silently lost.
const (
	maxShortRunes   = 64
	maxAddressRunes = 80
	maxRemarksRunes = 200
	maxWaybill      = 32
	maxToken        = 160
)

// Validate reports whether l can be printed: it runs the same checks every
// renderer runs. Errors are yuncang.Invalid naming the field
// (recipient.phone, sender.address …) and never contain the value.
func (l *Label) Validate() error {
	_, err := prepare(l)
	return err
}

// prepare is the one gate between a Label and a printer.
func prepare(l *Label) (face, error) { return new(gate).prepare(l) }

// gate runs prepare over a batch. A batch almost always has one sender (the
// merchant or the warehouse), so the sender's masked form is kept from the
// previous label: it saves parsing the same address a thousand times.
type gate struct {
	sender                       Party
	fromName, fromPhone, fromAdr string
	known                        bool
}

// prepare returns the printable face of l, or an error and no face at all.
func (g *gate) prepare(l *Label) (face, error) {
	f, err := g.fill(l)
	if err != nil {
		return face{}, err
	}
	return f, nil
}

func (g *gate) fill(l *Label) (face, error) {
	var f face
	var err error

	if f.waybill, err = checkWaybill(l.Waybill); err != nil {
		return f, err
	}
	if f.token, err = checkToken(l.QRToken); err != nil {
		return f, err
	}

	// Recipient: masked by the caller, checked again here.
	if f.toName, err = checkMaskedName(l.Recipient.Name); err != nil {
		return f, err
	}
	if l.VirtualPhone != "" {
		if f.toPhone, err = checkVirtualPhone(l.VirtualPhone); err != nil {
			return f, err
		}
		if l.Recipient.Phone != "" {
			if _, err = checkMaskedPhone("recipient.phone", l.Recipient.Phone); err != nil {
				return f, err
			}
		}
	} else if f.toPhone, err = checkMaskedPhone("recipient.phone", l.Recipient.Phone); err != nil {
		return f, err
	}
	if f.toAddress, err = checkMaskedAddress(l.Recipient.Address); err != nil {
		return f, err
	}

	// Sender: plaintext, masked here with the same rules.
	if !g.known || l.Sender != g.sender {
		if err := g.maskSender(l.Sender); err != nil {
			g.known = false
			return f, err
		}
	}
	f.fromName, f.fromPhone, f.fromAddress = g.fromName, g.fromPhone, g.fromAdr

	// Everything else is free text that must not smuggle a number in.
	for _, s := range []struct {
		field string
		in    string
		out   *string
		req   bool
	}{
		{"carrier.name", l.Carrier.Name, &f.carrier, true},
		{"carrier.code", l.Carrier.Code, &f.carrierCode, false},
		{"sort_code", l.SortCode, &f.sortCode, false},
		{"order_ref", l.OrderRef, &f.orderRef, false},
		{"trace.operator", l.Trace.Operator, nil, false},
		{"trace.station", l.Trace.Station, nil, false},
	} {
		v, err := checkPlain(s.field, s.in, s.req)
		if err != nil {
			return f, err
		}
		if s.out != nil {
			*s.out = v
		}
	}

	if f.route, f.routeCode, err = routeOf(l.Destination); err != nil {
		return f, err
	}
	if l.WeightG < 0 || l.WeightG > 1_000_000 {
		return f, yuncang.Invalid("weight_g", "must be between 0 and 1000000")
	} else if l.WeightG > 0 {
		f.weight = formatWeight(l.WeightG)
	}

	// Remarks were masked at intake; masking again costs microseconds,
	// covers a caller that passed the raw text and an order whose masked
	// copy predates a form the scanner now knows (names in context, house
	// numbers, spelled phones, e-mails, chat ids).
	if utf8.RuneCountInString(l.Remarks) > maxRemarksRunes {
		return f, yuncang.Invalid("remarks", "is longer than %d characters", maxRemarksRunes)
	}
	f.remarks, _ = pii.MaskText(oneLine(l.Remarks))

	f.trace = traceLine(l.Trace)
	return f, nil
}

func (g *gate) maskSender(p Party) error {
	name, err := maskSenderName(p.Name)
	if err != nil {
		return err
	}
	ph, err := pii.ParsePhone(p.Phone)
	if err != nil {
		return refield(err, "sender.phone")
	}
	a, err := pii.ParseAddress(p.Address)
	if err != nil {
		return refield(err, "sender.address")
	}
	g.sender, g.known = p, true
	g.fromName, g.fromPhone, g.fromAdr = name, ph.Masked(), a.Masked()
	return nil
}

// refield moves a pii error (field "phone", "address") to the label field it
// came from.
func refield(err error, field string) error {
	var e *yuncang.Error
	if errors.As(err, &e) && e.Code == yuncang.EINVALID {
		return yuncang.Invalid(field, "%s", e.Message)
	}
	return err
}

func checkWaybill(s string) (string, error) {
	if s == "" {
		return "", yuncang.Invalid("waybill", "is required")
	}
	if len(s) > maxWaybill {
		return "", yuncang.Invalid("waybill", "is longer than %d characters", maxWaybill)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-') {
			return "", yuncang.Invalid("waybill", "may contain only letters, digits and dashes")
		}
	}
	if len(pii.Scan(s)) > 0 {
		return "", yuncang.Invalid("waybill", "looks like a phone number")
	}
	return s, nil
}

// checkToken accepts printable ASCII only: the token is opaque to us, but it
// must not be a way to put personal data into the QR code.
func checkToken(s string) (string, error) {
	if s == "" {
		return "", yuncang.Invalid("qr_token", "is required (see SignToken)")
	}
	if len(s) > maxToken {
		return "", yuncang.Invalid("qr_token", "is longer than %d characters", maxToken)
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' || s[i] == '^' || s[i] == '~' {
			return "", yuncang.Invalid("qr_token", "may contain only printable ASCII without ^ and ~")
		}
	}
	// The token is base64url: letters, digits, - and _ at random, which
	// the free-text scanner could read as a spelled phone; only the
	// usual number forms mean something in it.
	if len(pii.ScanNumbers(s)) > 0 {
		return "", yuncang.Invalid("qr_token", "contains a phone or ID number")
	}
	return s, nil
}

// checkMaskedName requires at least one hidden character (GB/T 41833) and
// nothing that reads as a number.
func checkMaskedName(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", yuncang.Invalid("recipient.name", "is required")
	case utf8.RuneCountInString(s) > maxShortRunes:
		return "", yuncang.Invalid("recipient.name", "is longer than %d characters", maxShortRunes)
	case !strings.ContainsAny(s, "*＊"):
		return "", yuncang.Invalid("recipient.name", "is not masked: it must hide at least one character")
	case hasDigit(s):
		return "", yuncang.Invalid("recipient.name", "must not contain digits")
	}
	return s, nil
}

// checkMaskedPhone requires at least six hidden digits and at most six shown
// (a masked landline keeps its area code and two digits: 0579-******56), and
// nothing the phone scanner still recognises.
func checkMaskedPhone(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", yuncang.Invalid(field, "is required")
	}
	stars, digits := 0, 0
	for _, r := range s {
		switch {
		case r == '*' || r == '＊':
			stars++
		case r >= '0' && r <= '9' || r >= '０' && r <= '９':
			digits++
		case r == '-' || r == ' ' || r == '+' || r == '(' || r == ')':
		default:
			return "", yuncang.Invalid(field, "may contain only digits, '*' and separators")
		}
	}
	if stars < 6 || digits > 6 || len(pii.Scan(s)) > 0 {
		return "", yuncang.Invalid(field, "is not masked: it must hide at least 6 digits")
	}
	return s, nil
}

// checkVirtualPhone accepts a virtual number: a mobile main number with a
// 4-digit extension. It is printed in full: the number reaches the recipient
// only through the carrier's platform while the binding lasts.
func checkVirtualPhone(s string) (string, error) {
	p, err := pii.ParsePhone(s)
	if err != nil {
		return "", refield(err, "virtual_phone")
	}
	if p.Kind != pii.KindMobile || len(p.Extension) != 4 {
		return "", yuncang.Invalid("virtual_phone", "must be an 11-digit main number with a 4-digit extension")
	}
	return p.Digits + " 转 " + p.Extension, nil
}

// houseWords follow a number in the part of an address that the mask hides.
var houseWords = []string{"号", "室", "单元", "栋", "幢", "楼", "层", "弄", "座"}

// checkMaskedAddress requires the GB/T 41833 form of pii.Address.Masked:
// divisions down to the street, then at most a run of '*'. It re-parses the
// address and refuses any detail (road, house, unit, room) that is not
// starred, and any digit at all.
func checkMaskedAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", yuncang.Invalid("recipient.address", "is required")
	}
	if utf8.RuneCountInString(s) > maxAddressRunes {
		return "", yuncang.Invalid("recipient.address", "is longer than %d characters", maxAddressRunes)
	}
	if hasDigit(s) || hasChineseHouseNumber(s) {
		return "", yuncang.Invalid("recipient.address", "is not masked: it shows a house, unit or room number")
	}
	a, err := pii.ParseAddress(s)
	if err != nil {
		return "", yuncang.Invalid("recipient.address", "is not a masked address (divisions then ****)")
	}
	if strings.Trim(a.Detail, "*＊ ") != "" {
		return "", yuncang.Invalid("recipient.address", "is not masked: everything below the street must be hidden")
	}
	return s, nil
}

// hasChineseHouseNumber finds numbers written in Chinese numerals before a
// house word (三单元, 五〇二室), which hasDigit misses.
func hasChineseHouseNumber(s string) bool {
	prevNumeral := false
	for i, r := range s {
		if prevNumeral {
			for _, w := range houseWords {
				if strings.HasPrefix(s[i:], w) {
					return true
				}
			}
		}
		prevNumeral = strings.ContainsRune("零〇一二三四五六七八九十百千两", r)
	}
	return false
}

func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// maskSenderName masks the sender's name as a recipient's would be: a
// merchant name is often a person's name.
func maskSenderName(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", yuncang.Invalid("sender.name", "is required")
	case utf8.RuneCountInString(s) > maxShortRunes:
		return "", yuncang.Invalid("sender.name", "is longer than %d characters", maxShortRunes)
	case len(pii.ScanNumbers(s)) > 0:
		// The name itself is masked below; only numbers are refused (a
		// name scan would refuse 王先生, which masks to 王**).
		return "", yuncang.Invalid("sender.name", "contains a phone or ID number")
	}
	return pii.MaskName(s), nil
}

// checkPlain accepts one line of text that holds no personal data: no phone
// or ID number in any encoding, no name after a context word, no house or
// room number, no e-mail address or chat id (pii.Scan).
func checkPlain(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		return "", yuncang.Invalid(field, "is required")
	case utf8.RuneCountInString(s) > maxShortRunes:
		return "", yuncang.Invalid(field, "is longer than %d characters", maxShortRunes)
	case strings.ContainsAny(s, "\r\n"):
		return "", yuncang.Invalid(field, "must be one line")
	case len(pii.Scan(s)) > 0:
		return "", yuncang.Invalid(field, "contains personal data (a phone, ID number, name, address, e-mail or chat id)")
	}
	return s, nil
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func formatWeight(g int) string {
	if g < 1000 {
		return strconv.Itoa(g) + " g"
	}
	return strconv.FormatFloat(float64(g)/1000, 'f', 2, 64) + " kg"
}

func traceLine(t Trace) string {
	var b strings.Builder
	b.WriteString("打印")
	if t.Operator != "" {
		b.WriteString(" 操作员 ")
		b.WriteString(strings.TrimSpace(t.Operator))
	}
	if t.Station != "" {
		b.WriteString(" 站点 ")
		b.WriteString(strings.TrimSpace(t.Station))
	}
	if !t.Time.IsZero() {
		b.WriteByte(' ')
		b.WriteString(t.Time.Format("2006-01-02 15:04"))
	}
	return b.String()
}
