package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/compliance"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/label"
	"github.com/yuncang/yuncang/sqlstore"
)

func init() {
	register("inspection keygen", "make an Ed25519 key pair for signing special inspection reports", runInspectionKeygen)
	register("inspection run", "run a special inspection (专项检查): signed PDF report with its evidence and covering checkpoint", runInspectionRun)
	register("inspection verify", "check an inspection report against its detached signature", runInspectionVerify)
	register("compliance ledger", "print the security ledger (台账) as JSON", runComplianceLedger)
	register("compliance register", "print the processing register (GB/T 35273 §11.3) as JSON or CSV", runComplianceRegister)
}

// loadInspectionSigner reads YUNCANG_INSPECTION_SIGNER_KEY(_FILE); without
// need, a missing key is nil, not an error.
func loadInspectionSigner(need bool) (note.Signer, error) {
	skey, err := secretFromEnv("YUNCANG_INSPECTION_SIGNER_KEY")
	if err != nil {
		return nil, err
	}
	if skey == "" {
		if need {
			return nil, compliance.ErrNoInspectionKey
		}
		return nil, nil
	}
	return audit.NewSigner(skey)
}

// inspectionVerifier is the verifier key: --key (the key or a file holding
// it), YUNCANG_INSPECTION_VERIFIER_KEY(_FILE), or derived from the signer key.
func inspectionVerifier(flagKey string) (note.Verifier, error) {
	if flagKey != "" {
		return verifierKeyArg("key", flagKey)
	}
	vkey, err := secretFromEnv("YUNCANG_INSPECTION_VERIFIER_KEY")
	if err != nil {
		return nil, err
	}
	if vkey == "" {
		skey, err := secretFromEnv("YUNCANG_INSPECTION_SIGNER_KEY")
		if err != nil {
			return nil, err
		}
		if skey == "" {
			return nil, errors.New("no inspection verifier key: give --key, or set YUNCANG_INSPECTION_VERIFIER_KEY (or the signer key)")
		}
		if vkey, err = audit.VerifierFromSigner(skey); err != nil {
			return nil, err
		}
	}
	return audit.NewVerifier(vkey)
}

func runInspectionKeygen(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("inspection keygen", "inspection keygen [--origin NAME]\n\nPrints the signer key (secret: YUNCANG_INSPECTION_SIGNER_KEY) and the verifier key (public, given to whoever checks reports).", s)
	origin := fs.String("origin", compliance.DefaultKeyOrigin, "the key's name, written into every signature")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	skey, vkey, err := audit.GenerateKey(*origin)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "YUNCANG_INSPECTION_SIGNER_KEY=%s\nYUNCANG_INSPECTION_VERIFIER_KEY=%s\n", skey, vkey)
	return nil
}

// cliInspector is the inspection machinery over a store opened by a
// command: the audit evidence is a full recomputation of the log.
func cliInspector(ctx context.Context, c *Config, db *sqlstore.DB, signer note.Signer) (*compliance.Inspector, error) {
	font, _, err := label.ReportFont(os.Getenv("YUNCANG_LABEL_FONT"))
	if err != nil {
		return nil, err
	}
	in := &compliance.Inspector{Store: db, Signer: signer, Font: font, System: "yuncang", Now: db.Now}
	keys, err := loadAuditKeys(false)
	if err != nil {
		in.VerifyAudit = func(context.Context) compliance.AuditEvidence {
			return compliance.AuditEvidence{Detail: "not verified: " + err.Error()}
		}
		return in, nil
	}
	in.System = keys.verifier.Name()
	in.VerifyAudit = func(ctx context.Context) compliance.AuditEvidence {
		lc, err := checkLog(ctx, db, keys, publishDir(c))
		if err != nil {
			return compliance.AuditEvidence{Detail: "verification could not run"}
		}
		if lc.problems > 0 {
			return compliance.AuditEvidence{Detail: fmt.Sprintf("%s in %d records (yuncang audit verify names them)", problems(lc.problems), lc.rep.Records)}
		}
		return compliance.AuditEvidence{Verified: true, Detail: fmt.Sprintf("recomputed %d records against %d stored and %d published checkpoints: OK, root %x…",
			lc.rep.Records, lc.stored, len(lc.pubs), lc.rep.Root[:8])}
	}
	if keys.signer != nil {
		cp := &checkpointer{db: db, keys: keys, pub: audit.DirPublisher{Dir: publishDir(c)}, now: db.Now}
		in.Checkpoint = func(ctx context.Context) ([]byte, error) {
			c, _, err := cp.once(ctx)
			return c.Note, err
		}
	}
	return in, nil
}

func runInspectionRun(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("inspection run", "inspection run --officer USERNAME [--out REPORT.pdf]\n\nWrites REPORT.pdf and REPORT.pdf.sig and keeps both in the database (audited).", s, false)
	fs := sc.fs
	c := &sc.Config
	officer := fs.String("officer", "", "the security officer running the inspection (an active security_officer account)")
	out := fs.String("out", "inspection.pdf", "where to write the report; the signature goes to the same name + .sig")
	var signer note.Signer
	return sc.run(ctx, args, func() (err error) {
		signer, err = loadInspectionSigner(true)
		return err
	}, func(db *sqlstore.DB) error {
		u, err := db.UserByUsername(ctx, *officer)
		if err != nil || u.Role != yuncang.RoleSecurityOfficer || u.Status != yuncang.UserActive {
			return fmt.Errorf("--officer must name an active security_officer account")
		}
		in, err := cliInspector(ctx, c, db, signer)
		if err != nil {
			return err
		}
		ev := &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role, Kind: yuncang.EventInspection, Outcome: yuncang.OutcomeOK, Source: "cli"}
		rec, rep, err := in.Run(ctx, u.Username, u.ID, ev)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, rec.PDF, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(*out+".sig", rec.Signature, 0o644); err != nil {
			return err
		}
		for _, ch := range rep.Checks {
			fmt.Fprintf(s.out, "%s %-4s %s — %s\n", ch.ID, ch.Result, ch.TitleEn, ch.Evidence)
		}
		fmt.Fprintf(s.out, "inspection %d: pass %d, fail %d, warn %d; report %s, signature %s.sig\n", rec.ID, rec.Passed, rec.Failed, rec.Warned, *out, *out)
		return nil
	})
}

func runInspectionVerify(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("inspection verify", "inspection verify [--key VERIFIER|FILE] [--published DIR [--audit-key KEY|FILE]] REPORT.pdf [REPORT.pdf.sig]", s)
	key := fs.String("key", "", "the inspection verifier key, as text (NAME+HASH+KEY) or the path of a file holding it, such as sample-inspection.vkey (default: YUNCANG_INSPECTION_VERIFIER_KEY)")
	published := fs.String("published", "", "also find the covering checkpoint among the audit checkpoints published in DIR and check its signature")
	auditKey := fs.String("audit-key", "", "with --published: the audit verifier key, as text or the path of a file holding it (default: YUNCANG_AUDIT_VERIFIER_KEY or the signer's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return errUsage
	}
	pdfPath, sigPath := fs.Arg(0), fs.Arg(0)+".sig"
	if fs.NArg() == 2 {
		sigPath = fs.Arg(1)
	}
	v, err := inspectionVerifier(*key)
	if err != nil {
		return err
	}
	pdf, err := os.ReadFile(pdfPath)
	if err != nil {
		return err
	}
	sig, err := os.ReadFile(sigPath)
	if err != nil {
		return err
	}
	signed, err := compliance.VerifyReport(pdf, sig, v)
	if err != nil {
		return fmt.Errorf("inspection report verification FAILED: %w", err)
	}
	if *published != "" {
		if err := verifyCoveringCheckpoint(*published, *auditKey, signed); err != nil {
			return fmt.Errorf("inspection report verification FAILED: %w", err)
		}
		fmt.Fprintf(s.out, "covering checkpoint found in %s and signed by the audit key\n", *published)
	}
	fmt.Fprintf(s.out, "OK: report signed by %s\n  run at %s by %s\n  results %s\n  pdf sha256 %s\n  covering audit checkpoint %s (note sha256 %s)\n",
		signed.Signer, signed.RunAt.Format("2006-01-02T15:04:05Z"), signed.Officer, signed.Results, signed.PDFSHA256, signed.Checkpoint, signed.CheckpointSHA256)
	return nil
}

func runComplianceLedger(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("compliance ledger", "compliance ledger", s, false)
	c := &sc.Config
	return sc.run(ctx, args, nil, func(db *sqlstore.DB) error {
		in, err := cliInspector(ctx, c, db, nil)
		if err != nil {
			return err
		}
		l, _, err := in.Ledger(ctx)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(l)
	})
}

func runComplianceRegister(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("compliance register", "compliance register [--format json|csv]", s, false)
	fs := sc.fs
	format := fs.String("format", "json", "json or csv")
	return sc.run(ctx, args, func() error {
		if *format != "json" && *format != "csv" {
			return fmt.Errorf("--format must be json or csv")
		}
		return nil
	}, func(db *sqlstore.DB) error {
		now := db.Now()
		f, err := db.SecurityFacts(ctx, now.Add(-compliance.LedgerWindow), now)
		if err != nil {
			return err
		}
		// The roles' permissions come from the API's route table, the one
		// authorization point.
		reg := compliance.BuildRegister(f, httpapi.New(httpapi.Config{Store: db, Auth: auth.New(db, db.Vault())}).RouteAccess())
		if *format == "csv" {
			b, err := reg.CSV()
			if err != nil {
				return err
			}
			_, err = s.out.Write(b)
			return err
		}
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(reg)
	})
}

// verifyCoveringCheckpoint finds the checkpoint the signature names among
// the published ones (by the SHA-256 of its note) and checks that the
// audit key signed it: the report is then tied to the published log.
func verifyCoveringCheckpoint(dir, auditKey string, signed *compliance.Signed) error {
	var v note.Verifier
	var err error
	if auditKey != "" {
		v, err = verifierKeyArg("audit-key", auditKey)
	} else {
		var keys *auditKeys
		if keys, err = loadAuditKeys(false); err == nil {
			v = keys.verifier
		}
	}
	if err != nil {
		return err
	}
	pubs, err := audit.DirPublisher{Dir: dir}.List()
	if err != nil {
		return err
	}
	for _, c := range pubs {
		if sum := sha256.Sum256(c.Note); hex.EncodeToString(sum[:]) == signed.CheckpointSHA256 {
			if _, err := audit.ParseCheckpoint(c.Note, v); err != nil {
				return fmt.Errorf("the covering checkpoint: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("the covering checkpoint (%s) is not among the %d published in %s", signed.Checkpoint, len(pubs), dir)
}
