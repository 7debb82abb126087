package yuncang

import (
	"errors"
	"testing"
)

// TestProblemsCollectEveryField: one EINVALID error names every field;
// a failure that is not about input wins over them.
func TestProblemsCollectEveryField(t *testing.T) {
	s := &SKU{Code: "", Barcode: "", Name: "x", WeightG: 0, VolumeCM3: 1, TempClass: "warm"}
	err := s.Validate()
	var got []string
	for _, f := range ErrorFields(err) {
		got = append(got, f.Field)
	}
	if ErrorCode(err) != EINVALID || len(got) != 4 || got[0] != "code" || got[1] != "barcode" || got[2] != "weight_g" || got[3] != "temp_class" {
		t.Fatalf("SKU.Validate fields = %v (%v)", got, err)
	}
	if ErrorField(err) != "code" {
		t.Errorf("Field = %q, want the first", ErrorField(err))
	}
	var p Problems
	if !p.Check(nil) || !p.OK() || p.Err() != nil {
		t.Fatal("empty problems are not OK")
	}
	p.Add("a", "is bad")
	p.Check(Internal(errors.New("disk"), "write"))
	if ErrorCode(p.Err()) != EINTERNAL {
		t.Errorf("an internal failure must win: %v", p.Err())
	}
	one := InvalidFields([]FieldError{{"x", "is required"}})
	if ErrorField(one) != "x" || ErrorMessage(one) != "is required" || len(ErrorFields(one)) != 1 {
		t.Errorf("one field: %v", one)
	}
	if ErrorFields(Internal(errors.New("x"), "y")) != nil {
		t.Error("an internal error names fields")
	}
}

// TestValidatorsNameEveryField: the request validators of the catalogue
// report all their bad fields in one error.
func TestValidatorsNameEveryField(t *testing.T) {
	for _, c := range []struct {
		name string
		v    interface{ Validate() error }
		want int
	}{
		{"warehouse", &Warehouse{Code: "W1", ProvinceCode: "3", CityCode: "x", DistrictCode: ""}, 4},
		{"tenant", &Tenant{Code: "", Name: ""}, 2},
		{"asn", &ASN{Ref: "A1", Lines: []ASNLine{{SKUCode: "", Expected: 0}, {SKUCode: "S", Expected: 0}}}, 3},
		{"shipment", &ShipmentInput{}, 5},
	} {
		if got := len(ErrorFields(c.v.Validate())); got != c.want {
			t.Errorf("%s: %d fields named, want %d: %v", c.name, got, c.want, c.v.Validate())
		}
	}
}
