package httpapi

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// ParcelShipmentRequest is the body of POST .../parcels/{parcel}/shipment.
type ParcelShipmentRequest struct {
	// Sender may be left out when the merchant stored one for the
	// warehouse (PUT /api/v1/warehouses/{warehouse}/sender).
	Sender SenderJSON `json:"sender"`
}

func init() {
	apiDocs["POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/shipment"] = struct {
		req, resp any
		status    string
	}{ParcelShipmentRequest{}, ShipmentJSON{}, "201"}
}

// registerFulfilmentRoutes joins the warehouse flow to the e-waybills: a
// weighed parcel gets its shipment (waybill number, virtual number) from
// the parcel's own carrier and weight; its label is then printed through
// the shipment, and POST .../parcels/{parcel}/ship confirms it with the
// waybill number. The carrier's "delivered" event delivers the parcel.
func (s *Server) registerFulfilmentRoutes() {
	floor := Policy{Roles: roles(yuncang.RolePlatformAdmin, yuncang.RoleWarehouseSupervisor, yuncang.RoleOperator), Tenant: true, Warehouse: true}
	s.handle("POST", "/api/v1/warehouses/{warehouse}/parcels/{parcel}/shipment", "outbound",
		"Create the shipment (waybill and virtual number) of a weighed parcel, with its carrier and weight", floor, s.parcelShipment)
	s.registerSenderRoutes()
}

func (s *Server) parcelShipment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "parcel")
	if err != nil {
		return err
	}
	var req ParcelShipmentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sh, err := s.ParcelShipment(r, id, yuncang.Sender{Name: req.Sender.Name, Phone: req.Sender.Phone, Address: req.Sender.Address})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toShipmentJSON(sh))
	return nil
}
