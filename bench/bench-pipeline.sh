#!/bin/sh
# web-to-qa without the LLM stages, on this machine's cores: each stage
# timed on the previous stage's output (records/s, CPU seconds, share of
# the time), then the whole pipe at once, as pipelines/web-to-qa.sh runs
# it (the stages overlap).
#
# Input: the 92 pages of ../shared/data/extract-dev, each copied
# BENCH_COPIES times (default 10) under its own path and fetched through
# file:// URLs.  The copies are exact duplicates, so df-dedup keeps one of
# each and the stages after it see the 92 pages' chunks: the table shows
# records in and out of every stage.
# BENCH_DIR (default ${TMPDIR:-/tmp}/df-bench) holds the files;
# BENCH_JOBS (default 2) is the -j of every stage.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=${DF_BIN:-$top/bin}
src=${BENCH_PAGES:-$top/../shared/data/extract-dev/html}
copies=${BENCH_COPIES:-10}
jobs=${BENCH_JOBS:-2}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}/pipeline
PATH=$bin:$PATH
export PATH
if [ ! -d "$src" ]; then
	echo "bench-pipeline: $src: no pages (set BENCH_PAGES)" >&2
	exit 2
fi
rm -rf "$dir"
mkdir -p "$dir/pages"
i=0
while [ $i -lt "$copies" ]; do
	mkdir -p "$dir/pages/$i"
	cp "$src"/*.html "$dir/pages/$i/"
	i=$((i + 1))
done
for f in "$dir"/pages/*/*.html; do
	echo "file://$f"
done >"$dir/urls.txt"

# stage NAME IN OUT CMD...: run one stage, keep its times.
stage () {
	name=$1 in=$2 out=$3
	shift 3
	/usr/bin/time -f "%e %U %S" -o "$dir/$name.time" \
	    "$@" <"$in" >"$out" 2>"$dir/$name.err" || [ $? -eq 1 ]
	printf '%s %s %s %s\n' "$name" "$(wc -l <"$in")" "$(wc -l <"$out")" \
	    "$(cat "$dir/$name.time")" >>"$dir/table"
}
: >"$dir/table"
stage df-fetch "$dir/urls.txt" "$dir/fetched.jsonl" df-fetch -q
stage df-extract "$dir/fetched.jsonl" "$dir/pages.jsonl" \
    df-extract -q -j "$jobs"
stage df-chunk "$dir/pages.jsonl" "$dir/chunks.jsonl" \
    df-chunk -q -j "$jobs" --max-tokens 512
stage df-dedup "$dir/chunks.jsonl" "$dir/unique.jsonl" \
    df-dedup -q -j "$jobs"
stage df-judge "$dir/unique.jsonl" "$dir/judged.jsonl" \
    df-judge -q -j "$jobs" --preset fineweb --preset gopher
stage df-split "$dir/judged.jsonl" "$dir/split.jsonl" \
    df-split -q -j "$jobs"

t0=$(date +%s.%N)
df-fetch -q <"$dir/urls.txt" | df-extract -q -j "$jobs" |
    df-chunk -q -j "$jobs" --max-tokens 512 | df-dedup -q -j "$jobs" |
    df-judge -q -j "$jobs" --preset fineweb --preset gopher |
    df-split -q -j "$jobs" >"$dir/pipe.jsonl" || true
t1=$(date +%s.%N)
if cmp -s "$dir/pipe.jsonl" "$dir/split.jsonl"; then
	same="the same records as the stages one by one"
else
	same="DIFFERENT records from the stages one by one"
fi

mb=$(cat "$dir"/pages/*/*.html | wc -c | awk '{printf "%.1f", $1 / 1e6}')
echo "web-to-qa without LLM stages: $(wc -l <"$dir/urls.txt") pages" \
    "($mb MB of HTML), -j $jobs, $(nproc) cores"
awk -v wall="$(echo "$t1 - $t0" | bc -l)" -v same="$same" '
{ name[NR] = $1; in_[NR] = $2; out[NR] = $3; sec[NR] = $4
  cpu[NR] = $5 + $6; total += $4 }
END {
	printf "%-11s %7s %7s %8s %9s %8s %6s\n", "stage", "in", "out",
	    "seconds", "records/s", "cpu-s", "share"
	for (i = 1; i <= NR; i++)
		printf "%-11s %7d %7d %8.2f %9.0f %8.2f %5.1f%%\n", name[i],
		    in_[i], out[i], sec[i], (sec[i] > 0 ? in_[i] / sec[i] : 0),
		    cpu[i], 100 * sec[i] / total
	printf "stages one after another: %.2f s; as one pipe: %.2f s " \
	    "(%.0f pages/s), %s\n", total, wall, in_[1] / wall, same
}' "$dir/table"
