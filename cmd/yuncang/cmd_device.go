package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/yuncang/yuncang/devicekey"
)

func init() {
	register("device keygen", "generate a device's key pair on the device: private key to a file, public key to enrol", runDeviceKeygen)
	register("device sign", "print the signature headers of one request from an enrolled device (for curl)", runDeviceSign)
}

func runDeviceKeygen(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("device keygen --out FILE", "device keygen --out FILE\n\n"+
		"Run on the device. Writes the private key (base64 Ed25519 seed, mode 0600) to FILE and prints\n"+
		"the public key to give to whoever enrols the device (the \"public_key\" of the enrolment request).", s)
	out := fs.String("out", "", "file to write the private key to (must not exist)")
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
	if err := writeKeyFile(*out, devicekey.EncodePrivate(priv)+"\n"); err != nil {
		return err
	}
	fmt.Fprintln(s.out, devicekey.EncodePublic(pub))
	return nil
}

func runDeviceSign(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("device sign", "device sign --id N --key FILE [--body FILE] METHOD URL\n\n"+
		"Prints curl -H arguments signing one request as the device (valid for 5 minutes, once):\n"+
		"  curl -X POST $(yuncang device sign --id 3 --key desk.key --body b.json POST http://host/api/v1/orders/7/reveal?tenant=t) \\\n"+
		"       -H 'Authorization: Bearer …' --data-binary @b.json http://host/api/v1/orders/7/reveal?tenant=t", s)
	id := fs.Int64("id", 0, "the enrolled device's id")
	keyFile := fs.String("key", "", "the device's private key file (from device keygen)")
	bodyFile := fs.String("body", "", "the request body, exactly as it will be sent")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id <= 0 || *keyFile == "" || fs.NArg() != 2 {
		fs.Usage()
		return errUsage
	}
	b, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	key, err := devicekey.ParsePrivate(string(b))
	if err != nil {
		return err
	}
	var body []byte
	if *bodyFile != "" {
		if body, err = os.ReadFile(*bodyFile); err != nil {
			return err
		}
	}
	req, err := http.NewRequest(strings.ToUpper(fs.Arg(0)), fs.Arg(1), nil)
	if err != nil {
		return err
	}
	(&devicekey.Signer{DeviceID: *id, Key: key}).Sign(req, body)
	for _, h := range []string{devicekey.HeaderDevice, devicekey.HeaderTime, devicekey.HeaderNonce, devicekey.HeaderSignature} {
		fmt.Fprintf(s.out, "-H %s:%s ", h, req.Header.Get(h))
	}
	fmt.Fprintln(s.out)
	return nil
}

// writeKeyFile writes a new private key file, readable by its owner only;
// an existing file is never overwritten.
func writeKeyFile(path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
