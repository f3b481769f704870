#!/bin/sh
# df-split -j 2 annotating a large JSONL file against 'jq -c .' over the
# same file, in one run: the throughput ratio, and -j 1 / -j 2 identity.
#
# BENCH_MB (default 1024) sets the input size; BENCH_DIR (default
# ${TMPDIR:-/tmp}/df-bench) holds the generated input.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
mb=${BENCH_MB:-1024}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}
in=$dir/records-$mb.jsonl
mkdir -p "$dir"

if [ ! -s "$in" ]; then
	# About 660 bytes a record.
	awk -v n=$((mb * 1024 * 1024 / 660)) -f "$here/gen-records.awk" >"$in.tmp"
	mv "$in.tmp" "$in"
fi
bytes=$(wc -c <"$in")
cat "$in" >/dev/null	# warm the page cache for both

now() { date +%s.%N; }
run() {	# run NAME CMD...: time one command, output to a file
	name=$1; shift
	t0=$(now)
	"$@" >"$dir/out.$name"
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}

t_jq=$(run jq jq -c . "$in")
t_j1=$(run j1 "$bin/df-split" -j 1 "$in")
t_j2=$(run j2 "$bin/df-split" -j 2 "$in")
if cmp -s "$dir/out.j1" "$dir/out.j2"; then same=identical; else same=DIFFERENT; fi
rm -f "$dir/out.jq" "$dir/out.j1" "$dir/out.j2"

awk -v b="$bytes" -v jq="$t_jq" -v j1="$t_j1" -v j2="$t_j2" -v same="$same" \
    'BEGIN {
	printf "input: %.0f MB, %s\n", b / 1e6, "web-text-like records"
	printf "jq -c .          %6.2f s  %7.1f MB/s\n", jq, b / 1e6 / jq
	printf "df-split -j 1    %6.2f s  %7.1f MB/s  %5.1fx jq\n", j1, b / 1e6 / j1, jq / j1
	printf "df-split -j 2    %6.2f s  %7.1f MB/s  %5.1fx jq\n", j2, b / 1e6 / j2, jq / j2
	printf "output of -j 1 and -j 2: %s\n", same
    }'
[ "$same" = identical ]
