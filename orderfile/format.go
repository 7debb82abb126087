package orderfile

import (
	"bytes"
	"errors"
	"path"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/yuncang/yuncang"
)

// Format is the kind of an order file.
type Format string

// The supported formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") // .xls and password-protected .xlsx
	utf8BOM  = []byte("\xef\xbb\xbf")
)

// DetectFormat tells an XLSX workbook from CSV text by the file's first bytes
// (512 are plenty); head may be cut anywhere. The content decides: filename and
// contentType, which browsers and merchants' tools often get wrong, only
// sharpen the error message for files that are neither.
//
// CSV text may be UTF-8, with or without a byte-order mark, or GB18030 (which
// covers GBK), the encoding Excel on Chinese Windows saves CSV in; Read
// decodes it. Binary files, UTF-16 text, web pages, legacy .xls and
// OpenDocument files are rejected with an error saying what to do instead.
func DetectFormat(filename, contentType string, head []byte) (Format, error) {
	switch {
	case len(head) == 0:
		return "", fileError("the file is empty")
	case bytes.HasPrefix(head, zipMagic):
		// OpenDocument stores its mimetype uncompressed as the first zip entry.
		if bytes.Contains(head[:min(len(head), 128)], []byte("application/vnd.oasis.opendocument")) {
			return "", fileError("OpenDocument spreadsheets are not supported; save the file as .xlsx or CSV")
		}
		return XLSX, nil
	case bytes.HasPrefix(head, oleMagic):
		ext := strings.ToLower(path.Ext(filename))
		if ext == ".xls" || strings.Contains(contentType, "application/vnd.ms-excel") {
			return "", fileError("Excel 97-2003 workbooks (.xls) are not supported; save the file as .xlsx")
		}
		return "", fileError("password-protected or legacy Office files are not supported; remove the password and save the file as .xlsx")
	}
	if _, err := sniffText(head, false); err != nil {
		return "", err
	}
	return CSV, nil
}

type textEncoding int

const (
	utf8Text textEncoding = iota
	gb18030Text
)

// sniffText decides how CSV bytes are encoded from the start of the file.
// complete says whether b is the whole file; if not, a character cut in
// half at the end is not held against it.
func sniffText(b []byte, complete bool) (textEncoding, error) {
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		return 0, fileError("UTF-16 text is not supported; save the file as CSV UTF-8 or .xlsx")
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	if isBinary(b) {
		return 0, fileError("the file is neither CSV text nor an XLSX workbook")
	}
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 && t[0] == '<' {
		return 0, fileError("the file is a web page or XML, not CSV; open it in Excel and save it as .xlsx")
	}
	if validUTF8(b, complete) {
		return utf8Text, nil
	}
	if validGB18030(b, complete) {
		return gb18030Text, nil
	}
	return 0, fileError("the file's text is neither UTF-8 nor GB18030 (GBK); save it as CSV UTF-8 or .xlsx")
}

// isBinary reports a NUL byte, or more than a couple and more than 1% of
// bytes that never occur in text (the WHATWG "binary data byte" set), so that
// a stray control character in a remark does not condemn a whole file.
func isBinary(b []byte) bool {
	n := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c <= 0x08, c == 0x0b, 0x0e <= c && c <= 0x1a, 0x1c <= c && c <= 0x1f:
			n++
		}
	}
	return n > 2 && n*100 > len(b)
}

func validUTF8(b []byte, complete bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if complete {
		return false
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return !utf8.FullRune(b[i:]) && utf8.Valid(b[:i])
		}
	}
	return false
}

func validGB18030(b []byte, complete bool) bool {
	// GB18030 never takes more than 3 UTF-8 bytes per input byte.
	dst := make([]byte, 3*len(b)+utf8.UTFMax)
	n, _, err := simplifiedchinese.GB18030.NewDecoder().Transform(dst, b, complete)
	if err != nil && (complete || !errors.Is(err, transform.ErrShortSrc)) {
		return false
	}
	// The decoder replaces what it cannot decode instead of failing.
	return !bytes.ContainsRune(dst[:n], utf8.RuneError)
}

// sniffDelimiter picks tab for files whose header line has tabs and no
// commas (Excel's "Unicode text" and some exports named .xls), comma
// otherwise. Tab, comma and newline never occur inside a multi-byte UTF-8 or
// GB18030 character, so the raw bytes can be searched.
func sniffDelimiter(head []byte) rune {
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if !bytes.ContainsRune(line, ',') && bytes.ContainsRune(line, '\t') {
		return '\t'
	}
	return ','
}

// fileError is a whole-file problem the merchant can fix. The message must
// not contain any cell value.
func fileError(format string, args ...any) *yuncang.Error {
	return yuncang.Invalid("file", format, args...)
}
