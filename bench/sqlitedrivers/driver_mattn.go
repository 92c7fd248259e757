//go:build mattn && cgo

package main

import (
	"database/sql"

	"github.com/mattn/go-sqlite3" // registers "sqlite3"; needs CGO_ENABLED=1 and gcc
)

const driverLabel = "mattn"

func init() {
	// mattn has no _pragma DSN key: run the very same PRAGMA list on every new
	// connection through a ConnectHook.
	sql.Register("sqlite3_bench", &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			for _, p := range pragmas {
				if _, err := c.Exec("PRAGMA "+p, nil); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

func openDB(path string) (*sql.DB, error) {
	return sql.Open("sqlite3_bench", "file:"+path+"?_txlock=immediate")
}
