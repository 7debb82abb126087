package label

// ReportFont returns a CJK TrueType font (a collection's first font
// unpacked) for other PDF documents than labels, such as the compliance
// reports: path, or the first of DefaultFontPaths installed, or the font
// built into the binary. It returns the font bytes and where they came from.
func ReportFont(path string) ([]byte, string, error) {
	f, err := loadFont(path, 0)
	if err != nil {
		return nil, "", err
	}
	return f.ttf, f.path, nil
}
