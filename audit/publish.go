package audit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Publisher copies signed checkpoints to somewhere the database's
// administrators cannot write. A checkpoint that has left the database is
// what makes a later, consistent rewrite of the database detectable.
type Publisher interface {
	// Publish stores c.Note. Publishing the same note twice is not an error.
	Publish(c Checkpoint) error
	// List returns every published checkpoint in ascending size. Only Note
	// is authoritative; the other fields are read without checking the
	// signature, which Verify does.
	List() ([]Checkpoint, error)
}

// Errors from DirPublisher.Publish when a checkpoint for the same size is
// already there. ErrFork is the serious one: two different roots for one size
// mean two histories of the log, and both files are kept as evidence.
var (
	ErrCheckpointExists = errors.New("audit: a different checkpoint of this size and root is already published")
	ErrFork             = errors.New("audit: a checkpoint of this size with a different root is already published")
)

// DirPublisher publishes each checkpoint as its own write-once file,
// checkpoint-<size, 20 digits>.txt, in Dir. Dir is meant to be a mount the
// database host cannot rewrite: another machine, object storage with object
// lock, or a directory that a separate process ships elsewhere.
type DirPublisher struct {
	Dir string
}

const (
	publishPrefix = "checkpoint-"
	publishSuffix = ".txt"
)

// path names a checkpoint's file; checkpoints of a resumed epoch get the
// epoch in the name, so they never collide with the superseded ones, which
// stay where they are as evidence.
func (p DirPublisher) path(c Checkpoint) string {
	if c.Epoch > 0 {
		return filepath.Join(p.Dir, fmt.Sprintf("%s%020d-e%d%s", publishPrefix, c.Size, c.Epoch, publishSuffix))
	}
	return filepath.Join(p.Dir, fmt.Sprintf("%s%020d%s", publishPrefix, c.Size, publishSuffix))
}

const resumePrefix = "resume-"

// PublishResume publishes a resume statement as resume-<epoch>.txt, write
// once: a second, different statement for the same epoch is refused.
func (p DirPublisher) PublishResume(r Resume) error {
	final := filepath.Join(p.Dir, fmt.Sprintf("%s%06d%s", resumePrefix, r.Epoch, publishSuffix))
	err := p.writeOnce(final, r.Note)
	if errors.Is(err, os.ErrExist) {
		old, rerr := os.ReadFile(final)
		if rerr == nil && bytes.Equal(old, r.Note) {
			return nil
		}
		return fmt.Errorf("%w: %s already holds another resume statement", ErrFork, filepath.Base(final))
	}
	return err
}

// ListResumes returns every published resume statement's note.
func (p DirPublisher) ListResumes() ([][]byte, error) {
	ents, err := os.ReadDir(p.Dir)
	if err != nil {
		return nil, fmt.Errorf("audit: listing resume statements: %w", err)
	}
	var out [][]byte
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, resumePrefix) || !strings.HasSuffix(name, publishSuffix) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p.Dir, name))
		if err != nil {
			return nil, fmt.Errorf("audit: reading %s: %w", name, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// writeOnce writes data to a synced temporary file and links it to final; it
// returns an error wrapping os.ErrExist if final exists.
func (p DirPublisher) writeOnce(final string, data []byte) error {
	tmp, err := os.CreateTemp(p.Dir, ".tmp-"+publishPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), final); err != nil {
		return err
	}
	_ = os.Chmod(final, 0o444)
	return syncDir(p.Dir)
}

// Publish writes c.Note to a temporary file, syncs it, and links it into
// place. The link is the O_EXCL step: it fails if the name exists, so a
// published checkpoint is never overwritten, and because the content is
// complete and synced before the name appears, a crash cannot leave a short
// file that would later look like a fork.
func (p DirPublisher) Publish(c Checkpoint) error {
	if len(c.Note) == 0 {
		return fmt.Errorf("audit: publishing checkpoint %d: no signed note", c.Size)
	}
	final := p.path(c)
	if err := p.writeOnce(final, c.Note); err != nil {
		if errors.Is(err, os.ErrExist) {
			return p.compareExisting(final, c)
		}
		return fmt.Errorf("audit: publishing checkpoint %d: %w", c.Size, err)
	}
	return nil
}

func (p DirPublisher) compareExisting(path string, c Checkpoint) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("audit: publishing checkpoint %d: reading existing: %w", c.Size, err)
	}
	if bytes.Equal(old, c.Note) {
		return nil
	}
	prev, perr := parseUnverified(old)
	if perr == nil && prev.Root == c.Root {
		return fmt.Errorf("%w: %s", ErrCheckpointExists, filepath.Base(path))
	}
	return fmt.Errorf("%w: %s holds root %s, refused %s", ErrFork, filepath.Base(path), prev.Root, c.Root)
}

// List reads every published checkpoint file.
func (p DirPublisher) List() ([]Checkpoint, error) {
	ents, err := os.ReadDir(p.Dir)
	if err != nil {
		return nil, fmt.Errorf("audit: listing checkpoints: %w", err)
	}
	var out []Checkpoint
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, publishPrefix) || !strings.HasSuffix(name, publishSuffix) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p.Dir, name))
		if err != nil {
			return nil, fmt.Errorf("audit: reading %s: %w", name, err)
		}
		// An unreadable file is still returned, with only Note set, so that
		// Verify reports it instead of it vanishing from the evidence.
		c, _ := parseUnverified(b)
		c.Note = b
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size < out[j].Size })
	return out, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("audit: syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("audit: syncing %s: %w", dir, err)
	}
	return nil
}
