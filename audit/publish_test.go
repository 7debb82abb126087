package audit

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDirPublisher(t *testing.T) {
	k := newTestKeys(t)
	m := newTestLog(t, 20)
	p := DirPublisher{Dir: t.TempDir()}
	c10, c20 := k.checkpoint(t, m, 10), k.checkpoint(t, m, 20)
	for _, c := range []Checkpoint{c20, c10} {
		if err := p.Publish(c); err != nil {
			t.Fatal(err)
		}
	}
	// Republishing the identical note is harmless (a retried job).
	if err := p.Publish(c10); err != nil {
		t.Fatalf("republishing the same note: %v", err)
	}
	// The same tree signed again at another time is refused, not a fork.
	later, err := SignCheckpoint(k.signer, 10, c10.Root, c10.Time.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Publish(later); !errors.Is(err, ErrCheckpointExists) {
		t.Fatalf("re-signed same root: %v, want ErrCheckpointExists", err)
	}
	// A different root for a published size is a fork and is refused.
	fork, err := SignCheckpoint(k.signer, 10, mustTreeHash(t, 9, m), c10.Time)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Publish(fork); !errors.Is(err, ErrFork) {
		t.Fatalf("different root: %v, want ErrFork", err)
	}
	file := filepath.Join(p.Dir, "checkpoint-00000000000000000010.txt")
	if b, err := os.ReadFile(file); err != nil || string(b) != string(c10.Note) {
		t.Fatalf("published file changed: %v\n%s", err, b)
	}
	list, err := p.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Size != 10 || list[1].Size != 20 || list[1].Root != c20.Root {
		t.Fatalf("List = %+v", list)
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(p.Dir)
	if len(ents) != 2 {
		t.Fatalf("directory holds %d entries, want 2", len(ents))
	}
	for _, c := range list {
		if _, err := ParseCheckpoint(c.Note, k.verifier); err != nil {
			t.Fatalf("listed checkpoint %d does not verify: %v", c.Size, err)
		}
	}
	if err := p.Publish(Checkpoint{Size: 30}); err == nil {
		t.Fatal("publishing a checkpoint without a note succeeded")
	}
}

// A damaged published file is still listed, so Verify can report it.
func TestDirPublisherListsDamagedFiles(t *testing.T) {
	p := DirPublisher{Dir: t.TempDir()}
	if err := os.WriteFile(filepath.Join(p.Dir, "checkpoint-00000000000000000005.txt"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	list, err := p.List()
	if err != nil || len(list) != 1 || string(list[0].Note) != "junk" {
		t.Fatalf("List = %+v, %v", list, err)
	}
}
