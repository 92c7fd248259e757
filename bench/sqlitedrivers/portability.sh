#!/bin/sh
# Build checks behind the decision: which drivers cross-compile without a C
# toolchain, and what mattn does when cgo is off. Prints one line per check.
set -u
cd "$(dirname "$0")"
mkdir -p bin data
check() { # label, env..., -- build args
	label=$1; shift
	if env "$@" >/tmp/portability.$$ 2>&1; then r=ok; else r="FAILS: $(grep -v '^#' /tmp/portability.$$ | head -n 2 | tr '\n' ' ' | cut -c1-160)"; fi
	echo "| $label | $r |"
}
echo "| build | result |"
echo "|---|---|"
for target in linux/arm64 windows/amd64 darwin/arm64; do
	os=${target%/*}; arch=${target#*/}
	for d in modernc ncruces; do
		check "$d, CGO_ENABLED=0 GOOS=$os GOARCH=$arch" CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -tags $d -o /dev/null .
	done
	check "mattn, CGO_ENABLED=1 GOOS=$os GOARCH=$arch (host gcc only)" CGO_ENABLED=1 GOOS=$os GOARCH=$arch go build -tags mattn -o /dev/null .
done
check "mattn, CGO_ENABLED=0 build (host)" CGO_ENABLED=0 go build -tags mattn -o bin/mattn-nocgo .
check "mattn, CGO_ENABLED=0 binary run" ./bin/mattn-nocgo -dir data -rows 1000 -licences 1000 -dur 10ms
rm -f /tmp/portability.$$ bin/mattn-nocgo
