// Package agent is the print gateway (`yuncang agent`): a small process in
// the warehouse LAN, enrolled as a device of kind "print gateway" with a key
// pair it generates and keeps, that pulls print jobs from the server over
// an outbound connection, decrypts them with its own key, sends them to the
// warehouse's printers (ZPL or TSPL over raw TCP 9100, PDF to an IPP queue)
// and reports each outcome with the hash of the bytes sent. It keeps no
// spool files and logs no job content: labels never rest on an office PC.
package agent
