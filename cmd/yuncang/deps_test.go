package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The shipped binary links no test scaffolding: neither the testing
// package nor the storage conformance suite.
func TestBinaryLinksNoTestScaffolding(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch p {
		case "testing", "github.com/yuncang/yuncang/storetest":
			t.Errorf("cmd/yuncang links %s", p)
		}
	}
}
