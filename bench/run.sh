#!/bin/sh
# Run every benchmark in bench/ (make bench), or those named in $BENCH
# (BENCH='split dedup' runs bench-split.sh and bench-dedup.sh).  Not part
# of make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${BENCH:-}" ]; then
	for name in $BENCH; do
		sh "$here/bench-$name.sh"
	done
	exit 0
fi
for b in "$here"/bench-*.sh; do
	sh "$b"
done
