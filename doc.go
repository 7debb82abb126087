// Package yuncang holds the domain of the yuncang cloud warehouse: tenants
// (merchants), warehouses, SKUs, stock, orders and their recipients, staff
// accounts, the one error type, and the service interfaces that the storage
// adapters implement. It imports only the standard library.
//
// Recipient personal data (name, phone, address, remarks) exists in plaintext
// only in memory, inside Recipient and OrderInput values, for as long as a
// request needs it. Everything returned to callers by default is masked.
package yuncang
