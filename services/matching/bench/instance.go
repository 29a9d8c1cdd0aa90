package bench

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cohabit/cohabit/services/matching/internal/assign"
)

// Instance files, read by scripts/bench-allocation.py: little-endian, a 24-byte header
// (magic "CHBI", version uint32 = 1, students uint32, rooms uint32, edges uint64) then one
// record per edge: student int32, room int32, weight int32. Locked pairs are not stored.
const instanceMagic = "CHBI"

// WriteInstance writes p (without its locked pairs) to path.
func WriteInstance(path string, p assign.Problem) error {
	if len(p.Locked) > 0 {
		return errors.New("bench: instance files hold no locked pairs")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	hdr := make([]byte, 24)
	copy(hdr, instanceMagic)
	binary.LittleEndian.PutUint32(hdr[4:], 1)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(p.Students))
	binary.LittleEndian.PutUint32(hdr[12:], uint32(p.Rooms))
	binary.LittleEndian.PutUint64(hdr[16:], uint64(len(p.Edges)))
	w.Write(hdr)
	rec := make([]byte, 12)
	for _, e := range p.Edges {
		if e.Weight > 1<<31-1 {
			f.Close()
			return fmt.Errorf("bench: weight %d does not fit an int32", e.Weight)
		}
		binary.LittleEndian.PutUint32(rec[0:], uint32(e.Student))
		binary.LittleEndian.PutUint32(rec[4:], uint32(e.Room))
		binary.LittleEndian.PutUint32(rec[8:], uint32(e.Weight))
		w.Write(rec)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadInstance reads a file written by WriteInstance.
func ReadInstance(path string) (assign.Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return assign.Problem{}, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	hdr := make([]byte, 24)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return assign.Problem{}, err
	}
	if string(hdr[:4]) != instanceMagic || binary.LittleEndian.Uint32(hdr[4:]) != 1 {
		return assign.Problem{}, fmt.Errorf("bench: %s is not an instance file", path)
	}
	p := assign.Problem{Students: int(binary.LittleEndian.Uint32(hdr[8:])), Rooms: int(binary.LittleEndian.Uint32(hdr[12:]))}
	n := binary.LittleEndian.Uint64(hdr[16:])
	p.Edges = make([]assign.Edge, n)
	rec := make([]byte, 12)
	for i := range p.Edges {
		if _, err := io.ReadFull(r, rec); err != nil {
			return assign.Problem{}, err
		}
		p.Edges[i] = assign.Edge{
			Student: int32(binary.LittleEndian.Uint32(rec[0:])),
			Room:    int32(binary.LittleEndian.Uint32(rec[4:])),
			Weight:  int64(int32(binary.LittleEndian.Uint32(rec[8:]))),
		}
	}
	return p, nil
}
