package label

import (
	"math"
	"strings"
)

// textStyle modifies how canvas.text draws.
type textStyle uint8

const (
	plain   textStyle = 0
	bold    textStyle = 1 << iota // drawn heavier, where the format can
	reverse                       // white, on a box drawn before it
)

// canvas is what a format must draw. Lengths are millimetres from the
// label's top-left corner; text is placed by the top-left of its em box and
// size is the em in millimetres.
type canvas interface {
	text(x, y, size float64, s string, st textStyle)
	box(x, y, w, h float64) // filled black
	// code128 draws the waybill's bars, each module moduleW wide.
	code128(x, y, moduleW, h float64)
	// qr draws the token's QR code, each module module wide.
	qr(x, y, module float64)
}

// ascent is where the baseline sits below the top of the em box, in em: the
// ideographic em box of CJK fonts stands on a descent of about 0.12 em.
const ascent = 0.88

// sheet lays a label out once for every format, so PDF, PNG and ZPL agree.
// The design is in millimetres for 76×130 and scales to other sizes: x by
// width, y by height, type and symbols by the smaller of the two.
type sheet struct {
	cv      canvas
	advance func(rune) float64 // width in em
	sx, sy  float64
	fs      float64
	w, h    float64
	dot     float64 // printer dot in mm: symbols snap to whole dots
	margin  float64
	modules int // Code 128 modules of the waybill
	qrSide  int // QR modules per side
}

func newSheet(cv canvas, advance func(rune) float64, size Size, dpi, modules, qrSide int) *sheet {
	sx, sy := size.WidthMM/76, size.HeightMM/130
	return &sheet{
		cv: cv, advance: advance,
		sx: sx, sy: sy, fs: math.Min(sx, sy),
		w: size.WidthMM, h: size.HeightMM,
		dot:     25.4 / float64(dpi),
		margin:  2.5 * sx,
		modules: modules, qrSide: qrSide,
	}
}

func (s *sheet) width(str string, size float64) float64 { return s.measure(str) * size }

// measure returns the width of str in em.
func (s *sheet) measure(str string) float64 {
	w := 0.0
	for _, r := range str {
		w += s.advance(r)
	}
	return w
}

// hline draws a separator across the label at design height y.
func (s *sheet) hline(y float64) {
	s.cv.box(s.margin, y*s.sy, s.w-2*s.margin, math.Max(0.3, 2*s.dot))
}

// draw lays out one label. Sections, top to bottom: carrier and privacy
// mark; routing line (what sorters read first); waybill barcode; recipient;
// sender; order, weight, remarks, print trace and the QR code.
func (s *sheet) draw(f *face) {
	cv, m := s.cv, s.margin
	right := s.w - m

	// Carrier and the privacy mark.
	top := 2.2 * s.sy
	mark := "隐私面单"
	ms := 3.2 * s.fs
	bw, bh := s.width(mark, ms)+2*s.fs, ms+1.6*s.fs
	cv.box(right-bw, top+0.3*s.fs, bw, bh)
	cv.text(right-bw+s.fs, top+0.3*s.fs+0.8*s.fs, ms, mark, reverse)
	small := 3.2 * s.fs
	room := right - bw - 2*s.fs - m
	codeRoom := 0.0
	if f.carrierCode != "" {
		codeRoom = math.Min(s.width(f.carrierCode, small)+1.5*s.fs, room/3)
	}
	size := 5.5 * s.fs
	x := m + s.line(m, top, size, size*0.6, room-codeRoom, f.carrier, bold) + 1.5*s.fs
	if f.carrierCode != "" {
		s.line(x, top+(size-small)*ascent, small, small*0.7, right-bw-2*s.fs-x, f.carrierCode, plain)
	}
	s.hline(10)

	// Routing: the line sorters read from a metre away.
	codeSize := 4.2 * s.fs
	codeW := s.width(f.routeCode, codeSize)
	if f.sortCode != "" {
		codeW = math.Max(codeW, s.width(f.sortCode, codeSize))
	}
	codeW = math.Min(codeW, (right-m)*0.45)
	size = s.fit(f.route, 8*s.fs, 4*s.fs, right-m-codeW-2*s.fs)
	s.line(m, 12*s.sy+(8*s.fs-size)/2, size, size, right-m-codeW-2*s.fs, f.route, bold)
	rs := s.fit(f.routeCode, codeSize, codeSize*0.6, codeW)
	cv.text(right-s.width(f.routeCode, rs), 12.2*s.sy, rs, f.routeCode, plain)
	if f.sortCode != "" {
		ss := s.fit(f.sortCode, codeSize, codeSize*0.6, codeW)
		s.line(right-math.Min(codeW, s.width(f.sortCode, ss)), 17*s.sy, ss, ss, codeW, f.sortCode, bold)
	}
	s.hline(23)

	// Waybill barcode: modules snap to printer dots so every bar prints the
	// same width; ten modules of quiet zone on each side.
	avail := s.w - 2*m
	mw := math.Max(1, math.Floor(avail/float64(s.modules+20)/s.dot)) * s.dot
	barW := float64(s.modules) * mw
	cv.code128((s.w-barW)/2, 25*s.sy, mw, 15*s.sy)
	size = s.fit(f.waybill, 4*s.fs, 2.5*s.fs, avail)
	cv.text((s.w-s.width(f.waybill, size))/2, 40.8*s.sy+(4*s.fs-size)*ascent, size, f.waybill, bold)
	s.hline(47)

	// Recipient.
	s.party("收", 49.5, 8, 5.2, 4.2, 3, 79, f.toName, f.toPhone, f.toAddress)
	s.hline(79)
	// Sender.
	s.party("寄", 81, 5.5, 3.2, 3, 2, 94, f.fromName, f.fromPhone, f.fromAddress)
	s.hline(94)

	// QR code: the signed token, nothing personal.
	mod := math.Max(1, math.Floor(26*s.fs/float64(s.qrSide)/s.dot)) * s.dot
	side := float64(s.qrSide) * mod
	qx, qy := right-side, 96.5*s.sy
	cv.qr(qx, qy, mod)
	caption := "扫码验真"
	cs := 2.4 * s.fs
	cv.text(qx+(side-s.width(caption, cs))/2, qy+side+0.8*s.fs, cs, caption, plain)

	// Order, weight, remarks, and the print trace at the bottom.
	colW := qx - 3*s.fs - m
	y := 97 * s.sy
	ts := 3 * s.fs
	if f.orderRef != "" {
		y = s.field(m, y, colW, ts, "订单 ", f.orderRef)
	}
	if f.weight != "" {
		y = s.field(m, y, colW, ts, "重量 ", f.weight)
	}
	trs := 2.2 * s.fs
	trLines := s.wrap(f.trace, trs, colW, 3)
	trTop := s.h - 2.5*s.sy - float64(len(trLines))*trs*1.25
	if f.remarks != "" {
		rs := 2.8 * s.fs
		maxLines := int((trTop - y - 0.8*s.fs) / (rs * 1.25))
		lines := s.wrap("备注 "+f.remarks, rs, colW, max(0, maxLines))
		for _, l := range lines {
			cv.text(m, y, rs, l, plain)
			y += rs * 1.25
		}
	}
	for i, l := range trLines {
		cv.text(m, trTop+float64(i)*trs*1.25, trs, l, plain)
	}
}

// party draws the recipient or sender block: a reversed badge, then name
// and phone, then the address wrapped below them.
func (s *sheet) party(badge string, top, badgeSide, nameSize, addrSize float64, addrLines int, bottom float64, name, phone, addr string) {
	cv, m := s.cv, s.margin
	y := top * s.sy
	side := badgeSide * s.fs
	cv.box(m, y, side, side)
	bs := side * 0.72
	cv.text(m+(side-s.width(badge, bs))/2, y+(side-bs)/2, bs, badge, reverse)

	x0 := m + side + 2*s.fs
	avail := s.w - m - x0
	ns := nameSize * s.fs
	gap := 2.5 * s.fs
	nameW := s.line(x0, y, ns, ns*0.6, avail, name, bold)
	if nameW+gap+s.width(phone, ns) <= avail {
		cv.text(x0+nameW+gap, y, ns, phone, bold)
	} else {
		y += ns * 1.2
		s.line(x0, y, ns, ns*0.6, avail, phone, bold)
	}
	y += ns*1.2 + 0.6*s.fs

	// Shrink the address until it fits the lines the block has room for,
	// and a little further if that saves a line (a lone "****" line).
	as := addrSize * s.fs
	room := bottom*s.sy - 1*s.fs - y
	if n := len(s.wrap(addr, as, avail, -1)); n > 1 {
		for k := 0.97; k >= 0.85; k -= 0.03 {
			if len(s.wrap(addr, as*k, avail, -1)) < n {
				as *= k
				break
			}
		}
	}
	for {
		lines := s.wrap(addr, as, avail, -1)
		if (len(lines) <= addrLines && float64(len(lines))*as*1.25 <= room) || as <= 2*s.fs {
			for i, l := range lines {
				if float64(i+1)*as*1.25 > room+as*0.25 {
					break
				}
				cv.text(x0, y, as, l, plain)
				y += as * 1.25
			}
			return
		}
		as *= 0.92
	}
}

// field draws "label value" on one line, shrinking it to the width, and
// returns the next line's top.
func (s *sheet) field(x, y, w, size float64, name, value string) float64 {
	s.line(x, y, size, size*0.6, w, name+value, plain)
	return y + size*1.3
}

// line draws str on one line no wider than w: at size if it fits, smaller
// down to min, and cut with "…" below that. It returns the width drawn.
func (s *sheet) line(x, y, size, min, w float64, str string, st textStyle) float64 {
	size = s.fit(str, size, min, w)
	if s.width(str, size) > w {
		r := []rune(str)
		for len(r) > 0 && s.width(string(r)+"…", size) > w {
			r = r[:len(r)-1]
		}
		str = string(r) + "…"
	}
	s.cv.text(x, y, size, str, st)
	return s.width(str, size)
}

// fit returns the largest size not above max (and not below min) at which
// str is no wider than w.
func (s *sheet) fit(str string, max, min, w float64) float64 {
	em := s.measure(str)
	if em*max <= w || em == 0 {
		return max
	}
	return math.Max(min, w/em)
}

// wrap breaks str into lines no wider than w at size, between any two
// characters (Chinese has no spaces to break at), preferring a space when
// one is near. With limit > 0, at most limit lines are kept and the last
// ends in "…"; with limit < 0 there is no limit.
func (s *sheet) wrap(str string, size, w float64, limit int) []string {
	var lines []string
	for str != "" {
		if limit >= 0 && len(lines) == limit {
			if limit == 0 {
				return nil
			}
			last := []rune(lines[limit-1])
			for len(last) > 0 && s.width(string(last)+"…", size) > w {
				last = last[:len(last)-1]
			}
			lines[limit-1] = string(last) + "…"
			return lines
		}
		cut, lastSpace, acc := len(str), -1, 0.0
		for i, r := range str {
			acc += s.advance(r) * size
			if acc > w && i > 0 {
				cut = i
				break
			}
			if r == ' ' {
				lastSpace = i
			}
		}
		if cut < len(str) && isWordByte(str[cut]) && isWordByte(str[cut-1]) {
			// Don't split a number or a Latin word (138******78,
			// 2026-11-28): break before it, unless it fills the line.
			rs := cut
			for rs > 0 && isWordByte(str[rs-1]) {
				rs--
			}
			if rs > 0 {
				cut = rs
			}
		} else if cut < len(str) && lastSpace > cut*2/3 {
			cut = lastSpace
		}
		lines = append(lines, strings.TrimRight(str[:cut], " "))
		str = strings.TrimLeft(str[cut:], " ")
	}
	return lines
}

// isWordByte reports whether b is part of an ASCII run that wrap keeps whole.
func isWordByte(b byte) bool { return b > ' ' && b < 0x80 }
