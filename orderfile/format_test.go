package orderfile

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/yuncang/yuncang"
)

func TestDetectFormat(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("订单号,收货人,电话\nSO-1,张三,138\n")
	if err != nil {
		t.Fatal(err)
	}
	utf8Head := "订单号,收货人,电话\nSO-1,张三,138\n"
	tests := []struct {
		name, filename, contentType, head string
		want                              Format
		wantErr                           string
	}{
		{"workbook", "orders.xlsx", "", string(encodeXLSX(t, [][]any{{"a"}}))[:512], XLSX, ""},
		{"workbook named csv", "orders.csv", "text/csv", "PK\x03\x04\x14\x00\x06\x00", XLSX, ""},
		{"CSV", "orders.csv", "text/csv", "merchant_order_id,sku\nA,B\n", CSV, ""},
		{"CSV named xlsx", "orders.xlsx", "", "merchant_order_id,sku\nA,B\n", CSV, ""},
		{"CSV with BOM", "", "", "\ufeff" + utf8Head, CSV, ""},
		{"CSV cut inside a character", "", "", utf8Head[:len("订单号,收")+1], CSV, ""},
		{"GBK CSV", "orders.csv", "", gbk, CSV, ""},
		{"GBK CSV cut inside a character", "orders.csv", "", gbk[:len(gbk)-len("138\n")-3], CSV, ""},
		{"empty", "orders.csv", "", "", "", "empty"},
		{"legacy xls", "orders.xls", "", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "", "Excel 97-2003"},
		{"encrypted xlsx", "orders.xlsx", "", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "", "password-protected"},
		{"OpenDocument", "orders.ods", "", "PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "", "OpenDocument"},
		{"PNG", "orders.png", "image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "neither CSV text nor an XLSX workbook"},
		{"control bytes", "orders.csv", "", strings.Repeat("\x01\x02abc", 10), "", "neither CSV text nor an XLSX workbook"},
		{"one stray control byte", "orders.csv", "", "merchant_order_id,remarks\nA,bell\x07 here and then a good deal more text\n", CSV, ""},
		{"UTF-16", "orders.txt", "", "\xff\xfeo\x00r\x00", "", "UTF-16"},
		{"HTML saved as xls", "orders.xls", "", "\ufeff  <html><table><tr><td>订单号</td>", "", "web page"},
		{"neither UTF-8 nor GB18030", "orders.csv", "", "abc\xff\xff\xff,def\n", "", "neither UTF-8 nor GB18030"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectFormat(tt.filename, tt.contentType, []byte(tt.head))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(yuncang.ErrorMessage(err), tt.wantErr) || yuncang.ErrorCode(err) != yuncang.EINVALID {
					t.Fatalf("got %q, %v; want an invalid error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
