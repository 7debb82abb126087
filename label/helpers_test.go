package label

import (
	"os/exec"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// testKey signs QR tokens in tests.
var testKey = []byte("label-test-key-0123456789abcdef!")

// knownRecipient is the plaintext the tests look for and must never find.
var knownRecipient = yuncang.Recipient{
	Name:    "欧阳娜娜",
	Phone:   "13812345678",
	Address: "浙江省金华市义乌市稠城街道工人北路1088号3单元502室",
}

// mask derives a recipient's masked view the way intake does.
func mask(t testing.TB, r yuncang.Recipient) (yuncang.MaskedRecipient, yuncang.Region) {
	t.Helper()
	p, err := pii.ParsePhone(r.Phone)
	if err != nil {
		t.Fatal(err)
	}
	a, err := pii.ParseAddress(r.Address)
	if err != nil {
		t.Fatal(err)
	}
	return yuncang.MaskedRecipient{Name: pii.MaskName(r.Name), Phone: p.Masked(), Address: a.Masked()}, a.Region()
}

// sampleLabel is a synthetic label for knownRecipient.
func sampleLabel(t testing.TB, waybill string) Label {
	t.Helper()
	m, region := mask(t, knownRecipient)
	at := time.Date(2026, 11, 28, 10, 21, 0, 0, time.FixedZone("CST", 8*3600))
	return Label{
		Carrier:     Carrier{Name: "中通快递", Code: "ZTO"},
		Waybill:     waybill,
		Sender:      Party{Name: "王小明", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"},
		Recipient:   m,
		Destination: region,
		SortCode:    "571-W03 12",
		WeightG:     1250,
		OrderRef:    "YWG-20261128-000123",
		QRToken:     SignToken(testKey, waybill, at),
		Remarks:     "请放快递柜，到了打13812345678或0579-85123456",
		Trace:       Trace{Operator: "op-1024", Station: "YW01-P03", Time: at},
	}
}

// need skips the test unless a command-line tool is installed; CI installs
// them (see .ci/run: poppler-utils, zbar-tools).
func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s is not installed (Debian package %s); skipping", tool, pkg)
	}
	return p
}

// renderer returns a renderer or skips when no CJK font is installed.
func renderer(t *testing.T, o Options) *Renderer {
	t.Helper()
	r, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.FontPath(); err != nil {
		t.Skipf("%v", err)
	}
	return r
}
