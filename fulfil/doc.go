// Package fulfil holds the rules of the warehouse's outbound flow that are
// not the planner's: which sender a shipment carries (the request's, else
// the one the merchant stored for the warehouse). Storage is reached through
// the narrow interfaces declared here.
package fulfil
