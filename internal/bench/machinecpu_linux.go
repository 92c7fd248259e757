package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"
)

// machineCPU returns the time all the machine's CPUs have spent busy since
// boot (/proc/stat: user, nice, system, irq, softirq, steal), or 0 if it
// cannot be read. Around a run, its difference divided by the requests is
// the whole machine's CPU per request: the server, the load generator and,
// on PostgreSQL, the database server, which cpuTime does not see.
func machineCPU() time.Duration {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0
	}
	fields := strings.Fields(sc.Text()) // cpu user nice system idle iowait irq softirq steal …
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		n, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * (time.Second / userHZ)
}

// userHZ is the unit of /proc/stat: USER_HZ, 100 on every Linux ABI.
const userHZ = 100
