package label

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEncodeQRScans encodes payloads that need every version from 1 to 10,
// in both modes, and reads them back with zbarimg.
func TestEncodeQRScans(t *testing.T) {
	zbarimg := need(t, "zbarimg", "zbar-tools")
	var payloads []string
	alnum := "YC1.73902468013579.1795832460.MZAEKP4WVUAOHAQJTQP3XBAORE$%*+-/: " + strings.Repeat("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 9)
	bytes := "yc1.token-with-lower-case_and~bytes!" + strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 6)
	for _, n := range []int{1, 20, 21, 38, 39, 61, 62, 90, 91, 122, 123, 154, 155, 178, 179, 221, 222, 262, 263, 311} {
		payloads = append(payloads, alnum[:n])
	}
	for _, n := range []int{14, 15, 26, 27, 42, 43, 62, 63, 84, 85, 106, 107, 122, 123, 152, 153, 180, 181, 213} {
		payloads = append(payloads, bytes[:n])
	}
	dir := t.TempDir()
	for _, p := range payloads {
		m, err := encodeQR(p)
		if err != nil {
			t.Fatalf("%d bytes: %v", len(p), err)
		}
		if want := qrModules(p); len(m) != want {
			t.Errorf("%d bytes: %d modules, qrModules says %d", len(p), len(m), want)
		}
		file := filepath.Join(dir, "qr.png")
		writeModules(t, file, m)
		out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file).Output()
		if err != nil {
			t.Errorf("%d bytes (version %d): zbarimg: %v", len(p), (len(m)-17)/4, err)
			continue
		}
		if got := strings.TrimSuffix(string(out), "\n"); got != p {
			t.Errorf("version %d reads %q, want %q", (len(m)-17)/4, got, p)
		}
	}
	if _, err := encodeQR(alnum[:312]); err == nil {
		t.Error("a payload past version 10 was accepted")
	}
}

// TestEncodeQRReadsBack decodes the symbol's structure in Go, without
// zbarimg: the format information must be a valid level-M codeword naming
// a mask, and unmasking the data area in zigzag order must give back exactly
// the interleaved codewords.
func TestEncodeQRReadsBack(t *testing.T) {
	for _, p := range []string{
		"YC1.73902468013579.1795832460.MZAEKP4WVUAOHAQJTQP3XBAORE",
		"A", "HELLO WORLD", "abc", strings.Repeat("x", 150), strings.Repeat("Z", 300),
	} {
		m, err := encodeQR(p)
		if err != nil {
			t.Fatal(err)
		}
		size := len(m)
		ver := (size - 17) / 4

		// Format information, first copy, in drawing order.
		var coords [][2]int
		qrFormat(func(x, y int, _ bool) { coords = append(coords, [2]int{x, y}) }, size, 0)
		bits := 0
		for i := 0; i < 15; i++ {
			if m[coords[i][1]][coords[i][0]] {
				bits |= 1 << i
			}
		}
		mask := -1
		for k := range 8 {
			var want int
			qrFormat(func(x, y int, d bool) {
				for i := 0; i < 15; i++ {
					if coords[i] == [2]int{x, y} && d {
						want |= 1 << i
					}
				}
			}, size, k)
			if want == bits {
				mask = k
			}
		}
		if mask < 0 {
			t.Fatalf("%q: format bits %015b are not level M with any mask", p, bits)
		}

		// Unmask and read the codewords back.
		_, fn := qrFunctionPatterns(ver)
		flat := make([]bool, size*size)
		for y := range size {
			copy(flat[y*size:], m[y])
		}
		qrApplyMask(flat, fn, size, mask)
		var got []byte
		n := 0
		for right := size - 1; right >= 1; right -= 2 {
			if right == 6 {
				right = 5
			}
			for vert := range size {
				for j := range 2 {
					x, y := right-j, vert
					if (right+1)&2 == 0 {
						y = size - 1 - vert
					}
					if fn[y*size+x] {
						continue
					}
					if n%8 == 0 {
						got = append(got, 0)
					}
					if flat[y*size+x] {
						got[n/8] |= 0x80 >> uint(n%8)
					}
					n++
				}
			}
		}
		want := qrTotal[ver]
		if len(got) < want {
			t.Fatalf("%q: %d codewords in the data area, want %d", p, len(got), want)
		}
		// Rebuild the expected stream the same way encodeQR does.
		m2, _ := encodeQR(p)
		for y := range m2 {
			for x := range m2 {
				if m2[y][x] != m[y][x] {
					t.Fatalf("%q: encoding is not deterministic", p)
				}
			}
		}
		if err := checkRS(ver, got[:want]); err != nil {
			t.Errorf("%q (version %d): %v", p, ver, err)
		}
	}
}

// checkRS de-interleaves codewords and checks each block's Reed–Solomon
// remainder is zero, i.e. data and error correction agree.
func checkRS(ver int, cw []byte) error {
	nb, ecc, total := qrBlocks[ver], qrECC[ver], qrTotal[ver]
	short := nb - total%nb
	shortLen := total / nb
	blocks := make([][]byte, nb)
	k := 0
	for i := 0; i < shortLen+1; i++ {
		for j := range nb {
			if i == shortLen-ecc && j < short {
				continue
			}
			blocks[j] = append(blocks[j], cw[k])
			k++
		}
	}
	div := qrDivisors[ecc]
	for j, blk := range blocks {
		rem := make([]byte, ecc)
		for _, b := range blk[:len(blk)-ecc] {
			f := b ^ rem[0]
			copy(rem, rem[1:])
			rem[ecc-1] = 0
			for i := range rem {
				rem[i] ^= gfMul(div[i], f)
			}
		}
		for i := range rem {
			if rem[i] != blk[len(blk)-ecc+i] {
				return fmt.Errorf("block %d: error correction does not match its data", j)
			}
		}
	}
	return nil
}

func writeModules(t *testing.T, file string, m [][]bool) {
	t.Helper()
	const scale, quiet = 4, 4
	n := (len(m) + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range m {
		for x, d := range row {
			if d {
				for dy := range scale {
					for dx := range scale {
						img.Pix[((y+quiet)*scale+dy)*img.Stride+(x+quiet)*scale+dx] = 0
					}
				}
			}
		}
	}
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
