package yuncang

import (
	"context"
	"crypto/ed25519"
	"time"
)

// Device kinds: what a device may be used for.
const (
	DevicePackingStation = "packing_station" // prints labels in its warehouse
	DeviceOfficeDesk     = "office_desk"     // one person's desk: reveals personal data
	DevicePrintGateway   = "print_gateway"   // prints labels in its warehouse (yuncang agent)
	DeviceCarrierClient  = "carrier_client"  // a carrier's handheld at a warehouse's dock
)

// DeviceKinds lists the device kinds.
var DeviceKinds = []string{DevicePackingStation, DeviceOfficeDesk, DevicePrintGateway, DeviceCarrierClient}

// Device is an enrolled device: a packing station, a customer-service
// desk, a print gateway, a carrier's handheld. Printing labels and
// revealing personal data are allowed only from enrolled devices of the
// right kind. The device proves itself by signing each request with a
// private key generated on it (package devicekey); the server keeps only
// the public key, so nothing the server or a colleague holds can be copied
// to another machine to pass as the device.
type Device struct {
	ID          int64
	Code        string // station name, unique
	Name        string
	Kind        string
	WarehouseID int64 // the warehouse the device stands in (0 for a merchant's office device)
	TenantID    int64 // a merchant's office device (0 for platform devices)
	AssignedTo  int64 // the one person an office desk serves
	PublicKey   ed25519.PublicKey
	EnrolledBy  int64
	EnrolledAt  time.Time
	RevokedAt   time.Time
}

// Active reports whether the device may still be used.
func (d *Device) Active() bool { return d.RevokedAt.IsZero() }

// Validate checks a device before enrolment.
func (d *Device) Validate() error {
	if err := validCode("code", d.Code); err != nil {
		return err
	}
	if len(d.Name) > 200 {
		return Invalid("name", "is longer than 200 bytes")
	}
	if !contains(DeviceKinds, d.Kind) {
		return Invalid("kind", "must be one of packing_station, office_desk, print_gateway, carrier_client")
	}
	if len(d.PublicKey) != ed25519.PublicKeySize {
		return Invalid("public_key", "must be an Ed25519 public key (base64 of 32 bytes) generated on the device")
	}
	if (d.WarehouseID == 0) == (d.TenantID == 0) {
		return Invalid("warehouse", "a device stands in exactly one warehouse or one merchant office")
	}
	switch {
	case d.Kind == DeviceOfficeDesk && d.AssignedTo == 0:
		return Invalid("assigned_to", "an office desk is assigned to the one person who uses it")
	case d.Kind != DeviceOfficeDesk && d.AssignedTo != 0:
		return Invalid("assigned_to", "only office desks are assigned to a person")
	case d.Kind != DeviceOfficeDesk && d.WarehouseID == 0:
		return Invalid("kind", "a merchant's office holds only office desks")
	}
	return nil
}

// DeviceService stores enrolled devices and the nonces of their signed
// requests.
type DeviceService interface {
	EnrolDevice(ctx context.Context, d *Device) error
	DeviceByID(ctx context.Context, id int64) (*Device, error)
	Devices(ctx context.Context) ([]*Device, error)
	RevokeDevice(ctx context.Context, id int64, at time.Time) error
	// UseDeviceNonce records a signed request's nonce; a nonce the device
	// already used is a conflict (a replay). Nonces seen before forgetBefore
	// are dropped: the signing time bound refuses those requests anyway.
	UseDeviceNonce(ctx context.Context, deviceID int64, nonce string, at, forgetBefore time.Time) error
}
