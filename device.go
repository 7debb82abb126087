package yuncang

import (
	"context"
	"time"
)

// Device is an enrolled workstation: a label-printing PC, a pack station, a
// customer-service desk. Printing labels and revealing personal data are
// allowed only from enrolled devices. The device authenticates with a secret
// (stored hashed) installed on the station at enrolment.
type Device struct {
	ID          int64
	Code        string // station name, unique
	Name        string
	WarehouseID int64 // the warehouse the station stands in (0 for an office device)
	TenantID    int64 // a merchant's office device (0 for platform devices)
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
	if (d.WarehouseID == 0) == (d.TenantID == 0) {
		return Invalid("warehouse", "a device stands in exactly one warehouse or one merchant office")
	}
	return nil
}

// DeviceService stores enrolled devices.
type DeviceService interface {
	EnrolDevice(ctx context.Context, d *Device, secretHash []byte) error
	DeviceBySecret(ctx context.Context, secretHash []byte) (*Device, error)
	DeviceByID(ctx context.Context, id int64) (*Device, error)
	Devices(ctx context.Context) ([]*Device, error)
	RevokeDevice(ctx context.Context, id int64, at time.Time) error
}
