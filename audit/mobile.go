package audit

// containsMobile reports whether s holds something that looks like a
// complete mainland mobile number: eleven digits starting 13–19, optionally
// written in groups separated by one space, hyphen or dot, optionally after a
// 86 country code, in ASCII or full-width digits. It is a last line of
// defence, deliberately local: audit may not import pii, and a false positive
// (an 11-digit id that happens to start 13–19) costs a rejected audit write
// during development, whereas a miss puts a phone number into a log that is
// kept for years and can never be edited.
func containsMobile(s string) bool {
	var digits []byte // digits of the current chain of groups
	var groups []int  // start offset of each group in digits
	sep := false      // the previous rune was a separator inside a chain
	check := func() bool {
		// Try every group as the start of a number, so that "no. 12345
		// 13800138000" is caught although the chain is 16 digits long.
		for i, start := range groups {
			for j := i + 1; j <= len(groups); j++ {
				end := len(digits)
				if j < len(groups) {
					end = groups[j]
				}
				if isMobile(digits[start:end]) {
					return true
				}
				if end-start >= 13 {
					break
				}
			}
		}
		return false
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			if r >= '０' {
				r = '0' + (r - '０')
			}
			if len(digits) == 0 || sep {
				groups = append(groups, len(digits))
			}
			digits = append(digits, byte(r))
			sep = false
		case (r == ' ' || r == '-' || r == '.') && len(digits) > 0 && !sep:
			sep = true
		default:
			if check() {
				return true
			}
			digits, groups, sep = digits[:0], groups[:0], false
		}
	}
	return check()
}

// isMobile reports whether d, a run of ASCII digits, is exactly a mobile
// number, with or without the 86 country code.
func isMobile(d []byte) bool {
	if len(d) == 13 && d[0] == '8' && d[1] == '6' {
		d = d[2:]
	}
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
}
