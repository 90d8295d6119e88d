package storage

import "syscall"

// mmapFlags reads the whole file into memory when it is mapped, as etcd
// does with bbolt on Linux: Pulse's databases are tens of megabytes, and a
// page read at first touch put a disk read into some answer's latency
// instead of into the start, and made the process's memory creep up for as
// long as cold pages were left.
const mmapFlags = syscall.MAP_POPULATE
