#!/bin/sh
# df-judge's heuristic signals against datatrove's filters in Python
# (judge-peer.py: datatrove cannot be installed here, so its filters are
# re-implemented from its source), in one run on the same corpus
# (judge-gen.py: news prose made into pages, a third with web noise):
# text MB per CPU-second with every signal on and with the peer's four
# filters only, -j 1 / -j 2 wall time and identity, and how often
# df-judge and the peer agree on each filter's verdict.
#
# BENCH_MB (default 20) sets the corpus size; BENCH_DIR (default
# ${TMPDIR:-/tmp}/df-bench) holds it.  Best of 3 for every timing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
mb=${BENCH_MB:-20}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}
in=$dir/judge-$mb.jsonl
mkdir -p "$dir"

if [ ! -s "$in" ]; then
	python3 "$here/judge-gen.py" "$here/../pipelines/data/news-paragraphs.jsonl" \
	    "$mb" 1 >"$in.tmp"
	mv "$in.tmp" "$in"
fi
docs=$(wc -l <"$in")
text=$(jq -j '.text' "$in" | wc -c)
cat "$in" >/dev/null

# best NAME CMD...: best of 3 runs; prints "wall cpu" seconds.
best() {
	name=$1; shift
	b_w=; b_c=
	for _ in 1 2 3; do
		/usr/bin/time -f "%e %U %S" -o "$dir/time.$name" "$@" \
		    >"$dir/out.$name"
		w=$(awk '{print $1}' "$dir/time.$name")
		c=$(awk '{print $2 + $3}' "$dir/time.$name")
		if [ -z "$b_c" ] || [ "$(echo "$c < $b_c" | bc -l)" = 1 ]; then
			b_c=$c
		fi
		if [ -z "$b_w" ] || [ "$(echo "$w < $b_w" | bc -l)" = 1 ]; then
			b_w=$w
		fi
	done
	echo "$b_w $b_c"
}

four=gopher_quality,gopher_repetition,c4,fineweb
all1=$(best all1 "$bin/df-judge" -j 1 "$in")
all2=$(best all2 "$bin/df-judge" -j 2 "$in")
sub1=$(best sub1 "$bin/df-judge" -j 1 --signals $four --tokenizer none "$in")
peer=$(best peer python3 "$here/judge-peer.py" "$here/../data/judge/badwords/en" \
    "$in")
if cmp -s "$dir/out.all1" "$dir/out.all2"; then same=identical; else same=DIFFERENT; fi

# Agreement on each filter's verdict (pass, or the first failed reason).
agree=$(python3 - "$dir/out.sub1" "$dir/out.peer" <<'PY'
import json, sys
ours = [json.loads(l)["scores"] for l in open(sys.argv[1])]
peer = [json.loads(l) for l in open(sys.argv[2])]
def first(g):
    return g["failed"][0] if g["failed"] else None
pick = {
    "gopher_repetition": lambda s: first(s["gopher_repetition"]),
    "gopher_quality": lambda s: first(s["gopher_quality"]),
    "c4": lambda s: first(s["c4"]),
    "c4_fineweb": lambda s: first(s["c4"]["fineweb"]),
    "fineweb": lambda s: first(s["fineweb"]),
}
for k, f in pick.items():
    same_pf = sum((f(o) is None) == (p[k] is None) for o, p in zip(ours, peer))
    same_r = sum(f(o) == p[k] for o, p in zip(ours, peer))
    drop_o = sum(f(o) is not None for o in ours)
    drop_p = sum(p[k] is not None for p in peer)
    print("%-18s drops %5d vs %5d   same verdict %5.1f%%   same reason %5.1f%%"
          % (k, drop_o, drop_p, 100.0 * same_pf / len(ours),
             100.0 * same_r / len(ours)))
PY
)
rm -f "$dir"/out.* "$dir"/time.*

echo "$all1 $all2 $sub1 $peer" | awk -v t="$text" -v d="$docs" \
    -v same="$same" '{
	printf "input: %d documents, %.1f MB of text\n", d, t / 1e6
	printf "%-44s %7.2f s cpu %7.1f MB/s per core\n", \
	    "df-judge -j 1, every signal", $2, t / 1e6 / $2
	printf "%-44s %7.2f s wall %6.1f MB/s (%.2fx -j 1 wall %.2f s)\n", \
	    "df-judge -j 2, every signal", $3, t / 1e6 / $3, $1 / $3, $1
	printf "%-44s %7.2f s cpu %7.1f MB/s per core  %5.1fx peer\n", \
	    "df-judge -j 1, the four datatrove filters", $6, t / 1e6 / $6, $8 / $6
	printf "%-44s %7.2f s cpu %7.1f MB/s per core\n", \
	    "peer: datatrove filters in Python", $8, t / 1e6 / $8
	printf "output of -j 1 and -j 2: %s\n", same
}'
echo "agreement with the peer, per filter:"
echo "$agree"
[ "$same" = identical ]
