package yuncang

// Audit event kinds of the e-waybill actions. They are audit actions
// already known to the log (audit.ActionLabelPrint and friends).
const (
	EventKindLabelPrint      = "label_print"
	EventKindLabelReprint    = "label_reprint"
	EventKindCarrierHandover = "carrier_handover"
	EventKindVirtualResolve  = "virtual_number_resolve"
)
