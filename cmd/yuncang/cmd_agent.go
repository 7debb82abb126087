package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang/agent"
	"github.com/yuncang/yuncang/devicekey"
)

func init() {
	register("agent keygen", "generate a print gateway's keys on the gateway: signing key and sealing key to a file, public key to enrol", runAgentKeygen)
	register("agent", "run the print gateway: pull sealed print jobs from the server and send them to the warehouse's printers", runAgent)
}

// The gateway's key file holds two lines: the Ed25519 seed its requests
// are signed with (base64) and the age X25519 identity its jobs are sealed
// to (AGE-SECRET-KEY-1…). Neither ever leaves the gateway.

func runAgentKeygen(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("agent keygen --out FILE", "agent keygen --out FILE\n\n"+
		"Run on the gateway. Writes its signing and sealing keys (mode 0600) to FILE and prints the\n"+
		"public key to enrol it with (POST /api/v1/warehouses/{w}/devices, kind print_gateway).", s)
	out := fs.String("out", "", "file to write the keys to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	pub, priv, err := devicekey.Generate()
	if err != nil {
		return err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	if err := writeKeyFile(*out, devicekey.EncodePrivate(priv)+"\n"+id.String()+"\n"); err != nil {
		return err
	}
	fmt.Fprintln(s.out, devicekey.EncodePublic(pub))
	return nil
}

// readAgentKeys reads a key file written by agent keygen.
func readAgentKeys(path string) (*devicekey.Signer, *age.X25519Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		return nil, nil, fmt.Errorf("%s: want two lines (signing key, sealing key) as agent keygen writes", path)
	}
	key, err := devicekey.ParsePrivate(lines[0])
	if err != nil {
		return nil, nil, fmt.Errorf("%s: signing key: %w", path, err)
	}
	id, err := age.ParseX25519Identity(lines[1])
	if err != nil {
		return nil, nil, fmt.Errorf("%s: sealing key is not an age identity", path)
	}
	return &devicekey.Signer{Key: key}, id, nil
}

func runAgent(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("agent --server URL --id N --key FILE", "agent --server URL --id N --key FILE [--wait 25s]\n\n"+
		"Runs the print gateway: connects out to the server (no port is opened here), registers the\n"+
		"key its jobs are sealed to, then pulls jobs, prints them on the warehouse's printers (ZPL/TSPL\n"+
		"to host:9100, PDF to IPP queues) and reports each outcome with the SHA-256 of the bytes sent.\n"+
		"It keeps no spool files and logs no job content.", s)
	server := fs.String("server", os.Getenv("YUNCANG_SERVER"), "the yuncang server's base URL (YUNCANG_SERVER)")
	id := fs.Int64("id", 0, "the gateway's device id (from its enrolment)")
	keyFile := fs.String("key", os.Getenv("YUNCANG_AGENT_KEY_FILE"), "the key file from agent keygen (YUNCANG_AGENT_KEY_FILE)")
	wait := fs.Duration("wait", 25*time.Second, "long-poll wait per pull (at most 30s)")
	logLevel := fs.String("log-level", "info", "log level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *server == "" || *id <= 0 || *keyFile == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	if *wait <= 0 || *wait > 30*time.Second {
		return errors.New("--wait must be between 1s and 30s")
	}
	signer, identity, err := readAgentKeys(*keyFile)
	if err != nil {
		return err
	}
	signer.DeviceID = *id
	log := newLogger(s.err, *logLevel)
	g := &agent.Gateway{Server: strings.TrimRight(*server, "/"), Identity: identity, Signer: signer, Wait: *wait, Log: log}
	if err := g.Register(ctx); err != nil {
		return fmt.Errorf("registering with the server: %w", err)
	}
	log.Info("print gateway running", slog.Int64("device", *id), slog.String("server", g.Server))
	return g.Run(ctx)
}
