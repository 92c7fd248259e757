//go:build modernc

package main

import (
	"database/sql"

	_ "modernc.org/sqlite" // registers "sqlite"
)

const driverLabel = "modernc"

func openDB(path string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+path+"?_txlock=immediate"+pragmaDSN())
}
