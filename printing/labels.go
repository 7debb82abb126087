package printing

import (
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/label"
	"github.com/yuncang/yuncang/pii"
)

// TraceZone is the time zone of the print trace on labels (warehouses work
// in China Standard Time).
var TraceZone = time.FixedZone("CST", 8*3600)

// Labels turns what the store released for printing into labels: masked
// recipient, virtual number, remarks scanned again before paper, a signed
// QR token and the trace of who printed it where.
func Labels(data []*yuncang.LabelData, tokenKey []byte, operator, station string, now time.Time) []label.Label {
	out := make([]label.Label, len(data))
	for i, d := range data {
		sh := d.Shipment
		remarks, _ := pii.MaskText(d.Remarks) // masked at intake; scanned again before paper
		out[i] = label.Label{
			Carrier:      label.Carrier{Name: d.CarrierName, Code: sh.CarrierCode},
			Waybill:      sh.Waybill,
			Sender:       label.Party{Name: d.Sender.Name, Phone: d.Sender.Phone, Address: d.Sender.Address},
			Recipient:    sh.Recipient,
			VirtualPhone: d.VirtualPhone,
			Destination:  sh.Destination,
			WeightG:      sh.WeightG,
			OrderRef:     sh.MerchantOrderID,
			QRToken:      label.SignToken(tokenKey, sh.Waybill, now),
			Remarks:      remarks,
			Trace:        label.Trace{Operator: operator, Station: station, Time: now.In(TraceZone)},
		}
	}
	return out
}
