#!/bin/sh
# df-extract on the extract-dev pages against Debian's readability-lxml
# (python3-readability) in the same run: F1 of both by the benchmark's
# metric (extract-eval.py), and the single-thread speed ratio, each side
# one process over all pages, best of 3 wall-clock runs.  Also checks that
# -j 2 writes the same bytes as -j 1.
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
best() {	# best NAME CMD...: best of 3 wall-clock runs, output kept
	name=$1; shift
	b=
	for _ in 1 2 3; do
		t0=$(now)
		"$@" <"$in" >"$dir/out.$name"
		t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" -eq 1 ]; then
			b=$t
		fi
	done
	echo "$b"
}

t_df=$(best df "$bin/df-extract" --min-chars 0)
t_peer=$(best peer "$py" "$here/extract-peer.py")
"$bin/df-extract" --min-chars 0 -j 2 <"$in" >"$dir/out.j2"
if cmp -s "$dir/out.df" "$dir/out.j2"; then same=identical; else same=DIFFERENT; fi

f_df=$("$py" "$here/extract-eval.py" "$truth" "$dir/out.df")
f_peer=$("$py" "$here/extract-eval.py" "$truth" "$dir/out.peer")
printf 'input: %s pages, %.1f MB (%s)\n' "$pages" "$(echo "$bytes / 1000000" | bc -l)" "$dev"
printf 'df-extract        %s\n' "$f_df"
printf 'readability-lxml  %s\n' "$f_peer"
awk -v n="$pages" -v a="$t_df" -v b="$t_peer" -v same="$same" 'BEGIN {
	printf "df-extract        %6.2f s  %6.1f pages/s\n", a, n / a
	printf "readability-lxml  %6.2f s  %6.1f pages/s\n", b, n / b
	printf "speed ratio: %.1fx readability-lxml (one thread, best of 3)\n", b / a
	printf "output of -j 1 and -j 2: %s\n", same
}'
[ "$same" = identical ]
