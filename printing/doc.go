// Package printing is the print service: it turns "print the labels of
// these shipments on printer X" into a job for that printer — checked by the
// same rules as any label print (station, reprint reason and limit, audit),
// rendered in the printer's language, sealed to the key of the print
// gateway that serves the printer — and hands jobs to gateways and records
// what they report. Station browsers never receive label bytes; the server
// keeps a job's payload only until it is printed or expires.
package printing
