package yuncang

import "testing"

func TestCheckDigits(t *testing.T) {
	for _, c := range []struct{ scheme, digits, want string }{
		{CheckLuhn, "7992739871", "3"}, // the textbook Luhn example
		{CheckS10, "47312482", "9"},    // UPU S10: RR 47312482 9 GB
		{CheckMod7, "1000", "6"},
		{CheckNone, "1000", ""},
	} {
		if got := CheckDigit(c.scheme, c.digits); got != c.want {
			t.Errorf("%s(%s) = %q, want %q", c.scheme, c.digits, got, c.want)
		}
	}
	n := WaybillNumber("7390", 8, 42, CheckLuhn)
	if n != "7390000000422" || !ValidWaybill(n, "7390", CheckLuhn) || ValidWaybill("7390000000421", "7390", CheckLuhn) {
		t.Errorf("waybill %s", n)
	}
}

func TestShipmentMoves(t *testing.T) {
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{ShipmentCreated, ShipmentPickedUp, true}, {ShipmentCreated, ShipmentDelivered, false},
		{ShipmentInTransit, ShipmentInTransit, true}, {ShipmentDelivered, ShipmentInTransit, false},
		{ShipmentVoided, ShipmentPickedUp, false}, {ShipmentFailed, ShipmentInTransit, true},
	} {
		if CanMove(c.from, c.to) != c.ok {
			t.Errorf("%s -> %s: %v", c.from, c.to, !c.ok)
		}
	}
}
