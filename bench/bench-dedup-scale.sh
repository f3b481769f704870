#!/bin/sh
# df-dedup at scale: SCALE_DOCS (default 1000000) records of about 4 KB
# of text each (bench/gen-records.awk, 550-750 words), one process: time,
# peak memory, and memory per kept document.  Random texts have few
# duplicates, so nearly every record is kept and indexed: the worst case
# for memory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
n=${SCALE_DOCS:-1000000}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}
in=$dir/scale-$n.jsonl
mkdir -p "$dir"
if [ ! -s "$in" ]; then
	awk -v n="$n" -v minw=550 -v maxw=750 -f "$here/gen-records.awk" \
	    >"$in.tmp"
	mv "$in.tmp" "$in"
fi
bytes=$(wc -c <"$in")
/usr/bin/time -f '%e %U %S %M' -o "$dir/scale.time" \
    "$bin/df-dedup" -j 2 --stats "$dir/scale.stats" "$in" >/dev/null
read -r wall user sys rss <"$dir/scale.time"
jq -r --arg wall "$wall" --arg user "$user" --arg sys "$sys" \
    --arg rss "$rss" --arg bytes "$bytes" '
	"input: \(.in) records, \(($bytes | tonumber) / 1e9 * 100 | floor / 100) GB",
	"kept \(.kept), exact \(.exact_duplicates), near \(.near_duplicates)",
	"wall \($wall) s, cpu \(((($user | tonumber) + ($sys | tonumber)) * 100 | floor) / 100) s, " +
	"\(.in / (($user | tonumber) + ($sys | tonumber)) | floor) docs/CPU-s",
	"peak RSS \(($rss | tonumber) / 1024 | floor) MiB = " +
	"\(($rss | tonumber) / .kept * 1024 | floor) bytes per kept document; " +
	"index \(.index_bytes_per_document) bytes per document"' \
    "$dir/scale.stats"
