package sqlstore

import (
	"reflect"
	"strings"
	"testing"
)

// The store's own API offers no unchecked writes: the benchmarks' baselines
// and the tests' direct access live on Baseline.
func TestStoreHasNoRawWrites(t *testing.T) {
	ty := reflect.TypeOf(&DB{})
	for i := range ty.NumMethod() {
		name := ty.Method(i).Name
		if strings.Contains(name, "Raw") || strings.HasPrefix(name, "InsertRaw") {
			t.Errorf("DB.%s: baseline scaffolding on the store's API", name)
		}
	}
}
