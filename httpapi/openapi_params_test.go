package httpapi_test

import (
	"regexp"
	"testing"
)

// TestOpenAPIDeclaresPathParameters: every {segment} of every path is
// declared once as a required path parameter, and nothing else is (the
// document was rejected by validators for undeclared {wave}, {parcel}…).
func TestOpenAPIDeclaresPathParameters(t *testing.T) {
	f := newFixture(t)
	doc := f.srv.OpenAPI()
	seg := regexp.MustCompile(`\{([a-z_]+)\}`)
	checked := 0
	for path, ops := range doc["paths"].(map[string]map[string]any) {
		want := map[string]bool{}
		for _, m := range seg.FindAllStringSubmatch(path, -1) {
			want[m[1]] = true
		}
		for method, op := range ops {
			got := map[string]int{}
			params, _ := op.(map[string]any)["parameters"].([]any)
			for _, p := range params {
				pm := p.(map[string]any)
				if pm["in"] != "path" {
					continue
				}
				got[pm["name"].(string)]++
				if pm["required"] != true {
					t.Errorf("%s %s: path parameter %s is not required", method, path, pm["name"])
				}
			}
			for name := range want {
				if got[name] != 1 {
					t.Errorf("%s %s: path parameter %s declared %d times", method, path, name, got[name])
				}
			}
			for name := range got {
				if !want[name] {
					t.Errorf("%s %s: declares path parameter %s the path lacks", method, path, name)
				}
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d operations checked", checked)
	}
}
