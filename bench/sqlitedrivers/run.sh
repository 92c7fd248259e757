#!/bin/sh
# Runs the SQLite driver benchmark: each driver in its own process (ncruces and
# mattn both register "sqlite3"), RUNS rounds (default 3) with the driver order
# rotated each round, all in the same invocation; prints a markdown table of
# medians. Extra arguments go to every benchmark process (e.g. -rows 100000).
#
#   ./run.sh -rows 250000    # what docs/decisions.md reports (~15 min on 2 busy cores)
#   ./run.sh                 # 1 M-row loads as briefed: far longer (random keys, ~4 k rows/s seen)
#   RUNS=1 ./run.sh -rows 50000 -licences 50000 -dur 500ms   # smoke test
set -u
cd "$(dirname "$0")"
RUNS=${RUNS:-3}
out=results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bin data "$out"

{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "nproc: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "go: $(go version)"
	echo "args: $*"
} | tee "$out/machine.txt"

for d in modernc ncruces mattn; do
	cgo=0
	[ "$d" = mattn ] && cgo=1
	start=$(date +%s)
	if ! CGO_ENABLED=$cgo go build -tags "$d" -o "bin/$d" . 2>"$out/build-$d.log"; then
		printf 'RESULT\t%s\t0\terror\t0\tbuild failed (CGO_ENABLED=%s): %s\n' "$d" "$cgo" "$(head -c 300 "$out/build-$d.log" | tr '\n\t' '  ')" >>"$out/$d.tsv"
	fi
	echo "built $d (CGO_ENABLED=$cgo) in $(( $(date +%s) - start )) s, $(stat -c %s "bin/$d" 2>/dev/null || echo 0) bytes" | tee -a "$out/machine.txt"
done

order="modernc ncruces mattn"
run=1
while [ "$run" -le "$RUNS" ]; do
	for d in $order; do
		[ -x "bin/$d" ] || continue
		if ! "./bin/$d" -run "$run" "$@" >>"$out/$d.tsv" 2>>"$out/log.txt"; then
			grep -q "^RESULT	$d	$run	error" "$out/$d.tsv" ||
				printf 'RESULT\t%s\t%s\terror\t0\tprocess exited abnormally (see log.txt)\n' "$d" "$run" >>"$out/$d.tsv"
		fi
		tail -n 1 "$out/log.txt"
	done
	# rotate the order so no driver always runs first (cold page cache) or last
	first=${order%% *}
	order="${order#* } $first"
	run=$((run + 1))
done

go run . -report "$out"/*.tsv | tee "$out/table.md"
echo "results in $out"
