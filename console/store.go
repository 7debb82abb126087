package console

// Store is the storage and services the console's pages read and change,
// as narrow interfaces: each is what the API's handlers call for the same
// thing, so both can be re-pointed at service packages together. Areas add
// their own interfaces here as they need them.
type Store interface{}
