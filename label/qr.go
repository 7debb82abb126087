package label

import (
	"errors"
	"strings"
)

// A small QR code (model 2) encoder for the label token: error-correction
// level M, versions 1 to 10, alphanumeric or byte mode. The general-purpose
// Go encoders spend most of a PDF batch's time here (their Reed–Solomon
// arithmetic allocates per step: 0.3 to 1.2 ms a code), while a token needs
// none of their generality; this one takes a few tens of microseconds. It
// follows ISO/IEC 18004 as laid out in Project Nayuki's reference
// implementation, and the tests read its output back with zbarimg.

const qrAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// Level M block structure of versions 1–10: total codewords, error
// correction codewords per block, blocks.
var (
	qrTotal  = [11]int{0, 26, 44, 70, 100, 134, 172, 196, 242, 292, 346}
	qrECC    = [11]int{0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26}
	qrBlocks = [11]int{0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5}
	qrAlign  = [11][]int{nil, nil, {6, 18}, {6, 22}, {6, 26}, {6, 30}, {6, 34}, {6, 22, 38}, {6, 24, 42}, {6, 26, 46}, {6, 28, 50}}
)

var errQRTooLong = errors.New("label: QR payload is too long for version 10-M")

// gf256 exp and log tables, primitive polynomial x^8+x^4+x^3+x^2+1.
var gfExp, gfLog = func() (e [512]byte, l [256]byte) {
	x := 1
	for i := range 255 {
		e[i] = byte(x)
		l[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	for i := 255; i < 512; i++ {
		e[i] = e[i-255]
	}
	return
}()

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// qrDivisors holds the Reed–Solomon generator polynomial of each degree
// used, without the leading 1.
var qrDivisors = func() map[int][]byte {
	m := map[int][]byte{}
	for _, d := range qrECC[1:] {
		if m[d] != nil {
			continue
		}
		r := make([]byte, d)
		r[d-1] = 1
		root := byte(1)
		for range d {
			for j := range d {
				r[j] = gfMul(r[j], root)
				if j+1 < d {
					r[j] ^= r[j+1]
				}
			}
			root = gfMul(root, 2)
		}
		m[d] = r
	}
	return m
}()

// bitBuf appends bits most significant first.
type bitBuf struct {
	b []byte
	n int
}

func (w *bitBuf) put(v uint32, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		if v>>uint(i)&1 != 0 {
			w.b[w.n/8] |= 0x80 >> uint(w.n%8)
		}
		w.n++
	}
}

// encodeQR returns the modules of the QR code of s, [y][x], true = dark, no
// quiet zone.
func encodeQR(s string) ([][]bool, error) {
	alnum := true
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(qrAlnum, s[i]) < 0 {
			alnum = false
			break
		}
	}
	ver := 0
	for v := 1; v <= 10; v++ {
		if qrDataBits(len(s), v, alnum) <= (qrTotal[v]-qrECC[v]*qrBlocks[v])*8 {
			ver = v
			break
		}
	}
	if ver == 0 {
		return nil, errQRTooLong
	}
	capBytes := qrTotal[ver] - qrECC[ver]*qrBlocks[ver]

	var w bitBuf
	w.b = make([]byte, 0, qrTotal[ver])
	if alnum {
		w.put(2, 4)
		w.put(uint32(len(s)), qrCountBits(ver, true))
		for i := 0; i+1 < len(s); i += 2 {
			a, b := strings.IndexByte(qrAlnum, s[i]), strings.IndexByte(qrAlnum, s[i+1])
			w.put(uint32(a*45+b), 11)
		}
		if len(s)%2 == 1 {
			w.put(uint32(strings.IndexByte(qrAlnum, s[len(s)-1])), 6)
		}
	} else {
		w.put(4, 4)
		w.put(uint32(len(s)), qrCountBits(ver, false))
		for i := 0; i < len(s); i++ {
			w.put(uint32(s[i]), 8)
		}
	}
	w.put(0, min(4, capBytes*8-w.n))
	if w.n%8 != 0 {
		w.put(0, 8-w.n%8)
	}
	for pad := byte(0xec); len(w.b) < capBytes; pad ^= 0xec ^ 0x11 {
		w.b = append(w.b, pad)
	}
	return qrMatrix(ver, qrInterleave(ver, w.b)), nil
}

func qrCountBits(ver int, alnum bool) int {
	switch {
	case alnum && ver < 10:
		return 9
	case alnum:
		return 11
	case ver < 10:
		return 8
	}
	return 16
}

func qrDataBits(n, ver int, alnum bool) int {
	if alnum {
		return 4 + qrCountBits(ver, true) + 11*(n/2) + 6*(n%2)
	}
	return 4 + qrCountBits(ver, false) + 8*n
}

// qrInterleave splits data into blocks, appends each block's error
// correction, and interleaves the codewords.
func qrInterleave(ver int, data []byte) []byte {
	nb, ecc, total := qrBlocks[ver], qrECC[ver], qrTotal[ver]
	short := nb - total%nb
	shortLen := total / nb
	div := qrDivisors[ecc]
	blocks := make([][]byte, nb)
	k := 0
	for i := range nb {
		n := shortLen - ecc
		if i >= short {
			n++
		}
		blk := make([]byte, 0, shortLen+1)
		blk = append(blk, data[k:k+n]...)
		k += n
		rem := make([]byte, ecc)
		for _, b := range blk {
			f := b ^ rem[0]
			copy(rem, rem[1:])
			rem[ecc-1] = 0
			for j := range rem {
				rem[j] ^= gfMul(div[j], f)
			}
		}
		if i < short {
			blk = append(blk, 0) // placeholder, skipped below
		}
		blocks[i] = append(blk, rem...)
	}
	out := make([]byte, 0, total)
	for i := range blocks[0] {
		for j, blk := range blocks {
			if i != shortLen-ecc || j >= short {
				out = append(out, blk[i])
			}
		}
	}
	return out
}

// qrMatrix draws the function patterns, places the codewords, and applies
// the mask with the lowest penalty.
func qrMatrix(ver int, code []byte) [][]bool {
	size := 17 + 4*ver
	dark, fn := qrFunctionPatterns(ver)
	set := func(x, y int, d bool) { dark[y*size+x], fn[y*size+x] = d, true }

	// Codewords, in two-column zigzag from the bottom right.
	bit := 0
	for right := size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range size {
			for j := range 2 {
				x := right - j
				y := vert
				if (right+1)&2 == 0 {
					y = size - 1 - vert
				}
				if !fn[y*size+x] && bit < len(code)*8 {
					dark[y*size+x] = code[bit>>3]>>(7-uint(bit&7))&1 != 0
					bit++
				}
			}
		}
	}

	best, bestScore := -1, 0
	trial := make([]bool, len(dark))
	for m := range 8 {
		copy(trial, dark)
		qrApplyMask(trial, fn, size, m)
		qrFormat(func(x, y int, d bool) { trial[y*size+x] = d }, size, m)
		if s := qrPenalty(trial, size); best < 0 || s < bestScore {
			best, bestScore = m, s
		}
	}
	qrApplyMask(dark, fn, size, best)
	qrFormat(set, size, best)

	out := make([][]bool, size)
	for y := range out {
		out[y] = dark[y*size : (y+1)*size]
	}
	return out
}

// qrFunctionPatterns draws finder, timing and alignment patterns, the
// version information and a reserved format area; fn marks those modules.
func qrFunctionPatterns(ver int) (dark, fn []bool) {
	size := 17 + 4*ver
	dark = make([]bool, size*size)
	fn = make([]bool, size*size)
	set := func(x, y int, d bool) { dark[y*size+x], fn[y*size+x] = d, true }

	for i := range size {
		set(6, i, i%2 == 0)
		set(i, 6, i%2 == 0)
	}
	for _, c := range [][2]int{{3, 3}, {size - 4, 3}, {3, size - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x >= 0 && x < size && y >= 0 && y < size {
					d := max(abs(dx), abs(dy))
					set(x, y, d != 2 && d != 4)
				}
			}
		}
	}
	pos := qrAlign[ver]
	for i, ax := range pos {
		for j, ay := range pos {
			if i == 0 && j == 0 || i == 0 && j == len(pos)-1 || i == len(pos)-1 && j == 0 {
				continue
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					set(ax+dx, ay+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	qrFormat(set, size, 0) // reserve; redrawn with the chosen mask
	if ver >= 7 {
		rem := ver
		for range 12 {
			rem = rem<<1 ^ (rem>>11)*0x1f25
		}
		bits := ver<<12 | rem
		for i := range 18 {
			d := bits>>uint(i)&1 != 0
			a, b := size-11+i%3, i/3
			set(a, b, d)
			set(b, a, d)
		}
	}
	return dark, fn
}

// qrFormat draws both copies of the format information (level M, mask) and
// the dark module.
func qrFormat(set func(x, y int, d bool), size, mask int) {
	data := 0<<3 | mask // level M is 00
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	b := func(i int) bool { return bits>>uint(i)&1 != 0 }
	for i := range 6 {
		set(8, i, b(i))
	}
	set(8, 7, b(6))
	set(8, 8, b(7))
	set(7, 8, b(8))
	for i := 9; i < 15; i++ {
		set(14-i, 8, b(i))
	}
	for i := range 8 {
		set(size-1-i, 8, b(i))
	}
	for i := 8; i < 15; i++ {
		set(8, size-15+i, b(i))
	}
	set(8, size-8, true)
}

func qrApplyMask(dark, fn []bool, size, mask int) {
	for y := range size {
		for x := range size {
			var inv bool
			switch mask {
			case 0:
				inv = (x+y)%2 == 0
			case 1:
				inv = y%2 == 0
			case 2:
				inv = x%3 == 0
			case 3:
				inv = (x+y)%3 == 0
			case 4:
				inv = (x/3+y/2)%2 == 0
			case 5:
				inv = x*y%2+x*y%3 == 0
			case 6:
				inv = (x*y%2+x*y%3)%2 == 0
			case 7:
				inv = ((x+y)%2+x*y%3)%2 == 0
			}
			if inv && !fn[y*size+x] {
				dark[y*size+x] = !dark[y*size+x]
			}
		}
	}
}

// qrPenalty scores a masked symbol by the standard's four rules: runs of
// five or more, 2×2 blocks, finder-like 1:1:3:1:1 patterns, and imbalance.
// Any mask decodes; the score only steers away from hard-to-scan ones.
func qrPenalty(d []bool, size int) int {
	at := func(x, y int, transpose bool) bool {
		if transpose {
			return d[x*size+y]
		}
		return d[y*size+x]
	}
	score := 0
	for _, tr := range []bool{false, true} {
		for y := range size {
			run := 1
			for x := 1; x <= size; x++ {
				if x < size && at(x, y, tr) == at(x-1, y, tr) {
					run++
					continue
				}
				if run >= 5 {
					score += 3 + run - 5
				}
				run = 1
			}
			for x := 0; x+7 <= size; x++ {
				if at(x, y, tr) && !at(x+1, y, tr) && at(x+2, y, tr) && at(x+3, y, tr) && at(x+4, y, tr) && !at(x+5, y, tr) && at(x+6, y, tr) &&
					(qrLight(at, x-4, x, y, size, tr) || qrLight(at, x+7, x+11, y, size, tr)) {
					score += 40
				}
			}
		}
	}
	darkN := 0
	for y := range size {
		for x := range size {
			if d[y*size+x] {
				darkN++
			}
			if x+1 < size && y+1 < size {
				c := d[y*size+x]
				if d[y*size+x+1] == c && d[(y+1)*size+x] == c && d[(y+1)*size+x+1] == c {
					score += 3
				}
			}
		}
	}
	total := size * size
	k := (abs(darkN*20-total*10)+total-1)/total - 1
	return score + k*10
}

// qrLight reports whether modules [from, to) of a line are light, counting
// the quiet zone outside the symbol as light.
func qrLight(at func(x, y int, tr bool) bool, from, to, y, size int, tr bool) bool {
	for x := from; x < to; x++ {
		if x >= 0 && x < size && at(x, y, tr) {
			return false
		}
	}
	return true
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
