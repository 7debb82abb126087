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
