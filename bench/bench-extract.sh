#!/bin/sh
# df-extract on the extract-dev pages against Debian's readability-lxml
# (python3-readability) in the same run: F1 of both by the benchmark's
# metric (extract-eval.py), and the single-thread speed ratio, each side
# one process over all pages, best of 3 runs in CPU time (user + system;
# wall clock shown too).  Also checks that
# -j 2 writes the same bytes as -j 1.  The floor row is libxml2's parse
# alone through lxml, no extraction (extract-floor.py).
#
# EXTRACT_DEV (default /work/shared/data/extract-dev, else
# ../shared/data/extract-dev beside the tree) is the dev set; BENCH_DIR
# (default ${TMPDIR:-/tmp}/df-bench) holds the generated input and outputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
dev=${EXTRACT_DEV:-/work/shared/data/extract-dev}
[ -d "$dev" ] || dev=$here/../../shared/data/extract-dev
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}
py=/usr/bin/python3	# Debian's, where python3-readability lives
mkdir -p "$dir"
in=$dir/extract-dev.jsonl
truth=$dev/ground-truth.json

"$py" "$here/extract-input.py" "$dev" >"$in"
pages=$(wc -l <"$in")
bytes=$(wc -c <"$in")
cat "$in" >/dev/null	# warm the page cache for both

now() { date +%s.%N; }
# best NAME CMD...: best of 3 runs, output kept; prints "wall cpu" in
# seconds, each the best of the three (CPU = user + system, steadier on a
# shared machine).
best() {
	name=$1; shift
	bw=; bc=
	for _ in 1 2 3; do
		t0=$(now)
		/usr/bin/time -f "%U %S" -o "$dir/time.$name" "$@" <"$in" >"$dir/out.$name"
		t1=$(now)
		w=$(echo "$t1 - $t0" | bc -l)
		c=$(awk '{ print $1 + $2 }' "$dir/time.$name")
		if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" -eq 1 ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc -l)" -eq 1 ]; then bc=$c; fi
	done
	echo "$bw $bc"
}

t_df=$(best df "$bin/df-extract" --min-chars 0)
t_peer=$(best peer "$py" "$here/extract-peer.py")
t_floor=$(best floor "$py" "$here/extract-floor.py")
"$bin/df-extract" --min-chars 0 -j 2 <"$in" >"$dir/out.j2"
if cmp -s "$dir/out.df" "$dir/out.j2"; then same=identical; else same=DIFFERENT; fi

f_df=$("$py" "$here/extract-eval.py" "$truth" "$dir/out.df")
f_peer=$("$py" "$here/extract-eval.py" "$truth" "$dir/out.peer")
printf 'input: %s pages, %.1f MB (%s)\n' "$pages" "$(echo "$bytes / 1000000" | bc -l)" "$dev"
printf 'df-extract        %s\n' "$f_df"
printf 'readability-lxml  %s\n' "$f_peer"
load=$(cut -d " " -f 1 /proc/loadavg 2>/dev/null || echo "?")
# shellcheck disable=SC2086 # "wall cpu" pairs, split on purpose
set -- $t_df $t_peer $t_floor
awk -v n="$pages" -v aw="$1" -v ac="$2" -v bw="$3" -v bc="$4" -v fw="$5" \
    -v fc="$6" -v same="$same" \
    -v load="$load" 'BEGIN {
	printf "                  wall    pages/s  CPU     pages/CPU-s\n"
	printf "df-extract        %6.2f s %6.1f  %6.2f s %6.1f\n", aw, n / aw, ac, n / ac
	printf "readability-lxml  %6.2f s %6.1f  %6.2f s %6.1f\n", bw, n / bw, bc, n / bc
	printf "lxml parse only   %6.2f s %6.1f  %6.2f s %6.1f  (the floor: %.1fx readability)\n", fw, n / fw, fc, n / fc, bc / fc
	printf "speed ratio (one thread, best of 3): %.1fx readability-lxml in CPU time, %.1fx wall (load %s)\n", bc / ac, bw / aw, load
	printf "output of -j 1 and -j 2: %s\n", same
}'
[ "$same" = identical ]
