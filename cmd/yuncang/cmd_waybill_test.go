package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
)

// TestCarrierAndWaybillCommands configures a carrier from the command line,
// adds a range and allocates numbers from it.
func TestCarrierAndWaybillCommands(t *testing.T) {
	useDB(t)
	if code, _, errOut := runCmd(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	// No carriers yet: it says so (it printed nothing).
	if code, out, errOut := runCmd(t, "", "carrier", "list"); code != 0 || out != "no carriers\n" {
		t.Fatalf("carrier list with no carriers: %d %q %s", code, out, errOut)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "carrier", "add", "--code", "ZTO", "--name", "中通快递", "--check-digit", "mod7", "--public-key", id.Recipient().String())
	if code != 0 || !strings.Contains(out, "webhook secret") {
		t.Fatalf("carrier add: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "", "carrier", "add", "--code", "SF", "--name", "顺丰", "--public-key", "not-a-key"); code == 0 || !strings.Contains(errOut, "public-key") {
		t.Fatalf("carrier add with a bad key: %d %s", code, errOut)
	}
	if code, out, errOut := runCmd(t, "", "carrier", "segment", "--carrier", "ZTO", "--prefix", "7390", "--width", "8", "--first", "1", "--last", "5"); code != 0 || !strings.Contains(out, "5 numbers") {
		t.Fatalf("carrier segment: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "waybill", "allocate", "--carrier", "ZTO", "--count", "3")
	nums := strings.Fields(out)
	if code != 0 || len(nums) != 3 || nums[0] != yuncang.WaybillNumber("7390", 8, 1, yuncang.CheckMod7) || nums[2] != yuncang.WaybillNumber("7390", 8, 3, yuncang.CheckMod7) {
		t.Fatalf("waybill allocate: %d %q %s", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "", "waybill", "allocate", "--carrier", "ZTO", "--count", "3"); code == 0 || !strings.Contains(errOut, "no waybill numbers left") {
		t.Fatalf("allocate past the range: %d %s", code, errOut)
	}
	if code, out, _ := runCmd(t, "17099990000\n17099990001\n17099990000\n", "carrier", "numbers"); code != 0 || !strings.HasPrefix(out, "2 main numbers added") {
		t.Fatalf("carrier numbers: %d %s", code, out)
	}
	if code, out, _ := runCmd(t, "", "carrier", "list"); code != 0 || !strings.Contains(out, "ZTO") || !strings.Contains(out, "2 left") {
		t.Fatalf("carrier list: %d %s", code, out)
	}
	if code, out, _ := runCmd(t, "", "waybill", "sweep"); code != 0 || !strings.Contains(out, "0 bindings released") {
		t.Fatalf("waybill sweep: %d %s", code, out)
	}
}

func TestLabelRenderCommand(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"label.zpl", "label.pdf", "label.png"} {
		out := filepath.Join(dir, f)
		code, stdout, errOut := runCmd(t, "", "label", "render", "--out", out, "--virtual")
		if code != 0 {
			if strings.Contains(errOut, "no CJK font") {
				t.Skipf("no CJK font: %s", errOut)
			}
			t.Fatalf("label render %s: %s", f, errOut)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) < 100 || !strings.Contains(stdout, "synthetic") {
			t.Fatalf("%s: %d bytes, %v", f, len(b), err)
		}
		if strings.Contains(string(b), "13812345678") || strings.Contains(string(b), "欧阳娜娜") {
			t.Fatalf("%s holds the sample recipient's plaintext", f)
		}
	}
}

// TestLabelRenderRefusesUnclearOutput: without --out the command says that
// --out is required (it printed only the usage); a file named for no format
// needs --format (v.txt silently got a PDF), and a file named for one
// format is not written in another.
func TestLabelRenderRefusesUnclearOutput(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "", "label", "render"); code != 2 || !strings.Contains(errOut, "--out is required") {
		t.Errorf("label render without --out: exit %d %q", code, errOut)
	}
	for _, args := range [][]string{
		{"--out", filepath.Join(dir, "v.txt")},
		{"--out", filepath.Join(dir, "v.png"), "--format", "pdf"},
	} {
		code, _, errOut := runCmd(t, "", append([]string{"label", "render"}, args...)...)
		if code == 0 || !strings.Contains(errOut, "--out") {
			t.Errorf("label render %v: exit %d %q", args, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused renders wrote %d files", len(entries))
	}
	for _, tc := range []struct{ out, format, want string }{
		{"v.PDF", "", "pdf"}, {"v.zpl", "", "zpl"}, {"v.bin", "png", "png"}, {"v.png", "png", "png"},
	} {
		if got, err := labelFormat(tc.out, tc.format); err != nil || got != tc.want {
			t.Errorf("labelFormat(%q, %q) = %q, %v; want %q", tc.out, tc.format, got, err, tc.want)
		}
	}
}

// TestFlagsAfterArguments: a flag written after a positional argument is
// not read as a flag; the command says flags come first (it printed only
// the usage).
func TestFlagsAfterArguments(t *testing.T) {
	code, _, errOut := runCmd(t, "", "import", "--tenant", "yiwu-goods", "orders.csv", "--data", t.TempDir())
	if code != 2 || !strings.Contains(errOut, "flags must come before the other arguments: --data comes after orders.csv") {
		t.Errorf("import with flags after FILE: exit %d %q", code, errOut)
	}
	// Not every dash after an argument is a flag: nothing is claimed then.
	if _, _, errOut := runCmd(t, "", "import", "--tenant", "yiwu-goods", "a.csv", "-"); strings.Contains(errOut, "flags must come") {
		t.Errorf("a lone dash was taken for a flag: %q", errOut)
	}
}
