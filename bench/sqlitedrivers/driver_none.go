//go:build !modernc && !ncruces && !mattn

package main

import (
	"database/sql"
	"errors"
)

// Built without a driver tag: only -report works.
const driverLabel = "none"

func openDB(string) (*sql.DB, error) {
	return nil, errors.New("no driver compiled in: build with -tags modernc, ncruces or mattn")
}
