package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"

	"github.com/yuncang/yuncang"
)

// Page is the one envelope of every list response: the items, and the
// cursor of the next page. Lists that page take ?cursor= (the next of the
// previous page) and ?limit=, newest first by keyset; next is absent on the
// last page and on lists that come whole.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// list is the older name of the envelope, kept for the files that use it.
type list[T any] = Page[T]

// pageDoc documents a Page of item in apiDocs.
type pageDoc struct{ item any }

// pageOf documents a route's response as a Page of item.
func pageOf(item any) pageDoc { return pageDoc{item} }

// pageQuery declares the paging parameters of a keyset-paged list.
func pageQuery(maxLimit int) []QueryParam {
	return []QueryParam{
		{Name: "cursor", Description: "The next of the previous page"},
		{Name: "limit", Type: "integer", Min: 1, Max: maxLimit},
	}
}

// pageParams reads ?cursor= and ?limit= (def when absent). The cursor is
// opaque to clients: the id the next page starts below.
func pageParams(q url.Values, def, maxLimit int) (before int64, limit int, err error) {
	limit = def
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return 0, 0, yuncang.Invalid("limit", "must be between 1 and %d", maxLimit)
		}
		limit = n
	}
	if v := q.Get("cursor"); v != "" {
		if before, err = decodeCursor(v); err != nil {
			return 0, 0, err
		}
	}
	return before, limit, nil
}

func decodeCursor(v string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(v)
	n, err2 := strconv.ParseInt(string(b), 10, 64)
	if err != nil || err2 != nil || n <= 0 {
		return 0, yuncang.Invalid("cursor", "is not a cursor this server issued")
	}
	return n, nil
}

// nextCursor is the cursor after a page of n items of which the last has
// id lastID: none when the page was not full.
func nextCursor(n, limit int, lastID int64) string {
	if n == 0 || n < limit {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(lastID, 10)))
}

// writeList sends a whole list (one that does not page) in the envelope.
func writeList[T any](w http.ResponseWriter, items []T) {
	writePage(w, http.StatusOK, Page[T]{Items: items})
}

// writePage sends a page; a nil list is sent as [].
func writePage[T any](w http.ResponseWriter, status int, p Page[T]) {
	if p.Items == nil {
		p.Items = []T{}
	}
	writeJSON(w, status, p)
}
