// Package storetest is the storage conformance suite: every storage engine
// runs the same tests against a real database.
package storetest

import (
	"crypto/rand"
	"encoding/base64"
	"testing"

	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

// Harness opens fresh, migrated, empty stores of one engine.
type Harness struct {
	// Open returns a migrated store over an empty database, using the master
	// keys given. Calling it twice with the same name must reach the same
	// database (to test reopening with rotated keys).
	Open func(t *testing.T, name string, master *vault.MasterKeys) *sqlstore.DB
	// Raw returns every byte the engine stores for the named database, as a
	// thief with file or table access would see it.
	Raw func(t *testing.T, name string) []byte
	// Migrations are the engine's migrations, for the tests of one (an
	// upgrade from the schema before it); nil skips them.
	Migrations []sqlstore.Migration
	// Values returns every value of every column of every table of the
	// named database, read through SQL (live rows, not freed pages).
	Values func(t *testing.T, name string) []Value
}

// NewMasterKeys returns a ring with one fresh random key named id.
func NewMasterKeys(t testing.TB, id string) *vault.MasterKeys {
	t.Helper()
	m, err := vault.ParseMasterKeys(id + ":" + RandomKey())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// RandomKey returns a fresh base64 master key.
func RandomKey() string {
	k := make([]byte, 32)
	rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	t.Run("Tenants", func(t *testing.T) { testTenants(t, h) })
	t.Run("Warehouses", func(t *testing.T) { testWarehouses(t, h) })
	t.Run("SKUsAndStock", func(t *testing.T) { testSKUs(t, h) })
	t.Run("CatalogAudited", func(t *testing.T) { testCatalogAudited(t, h) })
	t.Run("OrderIntake", func(t *testing.T) { testOrderIntake(t, h) })
	t.Run("OrderBatch", func(t *testing.T) { testOrderBatch(t, h) })
	t.Run("OrderListing", func(t *testing.T) { testOrderListing(t, h) })
	t.Run("PhoneBuckets", func(t *testing.T) { testPhoneBuckets(t, h) })
	t.Run("PhoneMigration", func(t *testing.T) { testPhoneMigration(t, h) })
	t.Run("OrderConcurrentRepeat", func(t *testing.T) { testConcurrentRepeat(t, h) })
	t.Run("NoPlaintextAtRest", func(t *testing.T) { testNoPlaintext(t, h) })
	t.Run("KeyRotation", func(t *testing.T) { testKeyRotation(t, h) })
	t.Run("Users", func(t *testing.T) { testUsers(t, h) })
	t.Run("Approvals", func(t *testing.T) { testApprovals(t, h) })
	t.Run("Enrolments", func(t *testing.T) { testEnrolments(t, h) })
	t.Run("SecurityKeys", func(t *testing.T) { testSecurityKeys(t, h) })
	t.Run("DevicesAndEvents", func(t *testing.T) { testDevicesAndEvents(t, h) })
	t.Run("AuditLog", func(t *testing.T) { testAuditLog(t, h) })
	t.Run("AuditConcurrent", func(t *testing.T) { testAuditConcurrent(t, h) })
	t.Run("AuditResume", func(t *testing.T) { testAuditResume(t, h) })
	t.Run("Waybills", func(t *testing.T) { testWaybills(t, h) })
	t.Run("PrintJobs", func(t *testing.T) { testPrintJobs(t, h) })
	t.Run("Quota", func(t *testing.T) { testQuota(t, h) })
	t.Run("QuotaHours", func(t *testing.T) { testQuotaHours(t, h) })
	t.Run("RevealGuard", func(t *testing.T) { testRevealGuard(t, h) })
	t.Run("Inventory", func(t *testing.T) { testInventory(t, h) })
	t.Run("Decoys", func(t *testing.T) { testDecoys(t, h) })
	t.Run("SharedLimits", func(t *testing.T) { testSharedLimits(t, h) })
	t.Run("SenderAddresses", func(t *testing.T) { testSenderAddresses(t, h) })
	t.Run("Compliance", func(t *testing.T) { testCompliance(t, h) })
	t.Run("Retention", func(t *testing.T) { testRetention(t, h) })
	t.Run("DeletionShreds", func(t *testing.T) { testDeletionShreds(t, h) })
	t.Run("ErasureReachesCopies", func(t *testing.T) { testErasureReachesCopies(t, h) })
	t.Run("OpenAccessRequest", func(t *testing.T) { testOpenAccessRequest(t, h) })
}
