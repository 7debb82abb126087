package main

import (
	"crypto/rand"
	"encoding/base64"
)

// ephemeralMasterKey returns a fresh random master key (base64), held only in
// memory by the commands that throw their database away: the demo, benches
// and the red-team run.
func ephemeralMasterKey() string {
	k := make([]byte, 32)
	rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}
