//go:build ncruces

package main

import (
	"database/sql"

	// The driver package alone embeds SQLite (wasm2go build, pulled in through
	// github.com/ncruces/go-sqlite3-wasm); the deprecated embed package is not imported.
	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
)

const driverLabel = "ncruces"

func openDB(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", "file:"+path+"?_txlock=immediate"+pragmaDSN())
}
