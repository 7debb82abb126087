// Package label renders privacy express waybills (隐私面单): one-part labels
// of 76×130 mm or 100×150 mm as PDF, PNG or ZPL II, one label or a batch in
// one file, that carry nothing worth stealing.
//
// A label is built from a Label value, and everything printed passes one
// gate first (prepare, in guard.go): the recipient must arrive already
// masked per GB/T 41833-2022 and is checked again (a name with a hidden
// character, a phone hiding at least six digits or a virtual number with an
// extension, an address without road, house, unit or room); the sender is
// given in plaintext and masked here with the pii package; free text is
// scanned for phone and ID numbers. A label that fails the gate is refused
// with an error naming the field, never repeating the value. The renderers
// draw only the gate's output, so there is no path that prints an unmasked
// recipient.
//
// The QR code carries an opaque token the caller signs with SignToken:
// waybill number, issue time and an HMAC, no personal data. A scanner
// verifies it with VerifyToken and looks the recipient up server-side, under
// the usual reveal rules, instead of reading anything off the label.
//
// Chinese text needs a CJK TrueType font (see Options.FontPath). PDF embeds
// a subset of it; PNG rasterises with it; ZPL leaves the glyphs to a font
// stored on the printer (Options.ZPLFont) so a label stays a few hundred
// bytes and the printer draws barcodes and QR codes natively.
package label

// The sample labels in docs/labels are rendered by TestSamples.
//go:generate go test . -run TestSamples -update
