//go:build !linux

package storage

// mmapFlags is none where MAP_POPULATE is not offered; see mmap_linux.go.
const mmapFlags = 0
