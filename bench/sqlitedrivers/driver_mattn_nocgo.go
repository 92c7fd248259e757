//go:build mattn && !cgo

package main

import (
	"database/sql"

	_ "github.com/mattn/go-sqlite3" // with cgo off this is a stub that fails at run time
)

// Only for portability.sh: shows what a CGO_ENABLED=0 build of mattn does.
const driverLabel = "mattn"

func openDB(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
}
