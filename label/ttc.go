package label

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// extractTTC returns font number index of a TrueType collection (.ttc) as a
// stand-alone TrueType file. The PDF writer embeds only single .ttf fonts,
// while most Debian CJK packages (fonts-wqy-microhei, fonts-wqy-zenhei)
// ship collections; copying one font's tables out is all it takes. Data that
// is not a collection is returned unchanged.
func extractTTC(data []byte, index int) ([]byte, error) {
	if len(data) < 12 || string(data[:4]) != "ttcf" {
		return data, nil
	}
	be := binary.BigEndian
	n := int(be.Uint32(data[8:]))
	if index < 0 || index >= n || 12+4*n > len(data) {
		return nil, fmt.Errorf("font collection has %d fonts, no font %d", n, index)
	}
	dir := int(be.Uint32(data[12+4*index:]))
	if dir+12 > len(data) {
		return nil, errors.New("font collection is truncated")
	}
	numTables := int(be.Uint16(data[dir+4:]))
	if dir+12+16*numTables > len(data) {
		return nil, errors.New("font collection is truncated")
	}
	type table struct {
		rec          []byte
		offset, size int
	}
	tables := make([]table, numTables)
	total := 12 + 16*numTables
	for i := range tables {
		rec := data[dir+12+16*i : dir+28+16*i]
		off, size := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off < 0 || size < 0 || off+size > len(data) {
			return nil, errors.New("font collection has a table outside the file")
		}
		tables[i] = table{rec: rec, offset: off, size: size}
		total += (size + 3) &^ 3
	}
	out := make([]byte, 12+16*numTables, total)
	copy(out, data[dir:dir+12])
	// Table data goes in file order (as in the collection); the directory
	// keeps its tag order, which readers binary-search.
	order := make([]int, numTables)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return tables[order[a]].offset < tables[order[b]].offset })
	for _, i := range order {
		t := tables[i]
		rec := out[12+16*i : 28+16*i]
		copy(rec, t.rec)
		be.PutUint32(rec[8:], uint32(len(out)))
		out = append(out, data[t.offset:t.offset+t.size]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
