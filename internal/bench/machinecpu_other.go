//go:build !linux

package bench

import "time"

// machineCPU is unknown here: the machine CPU columns read 0.
func machineCPU() time.Duration { return 0 }
