#!/bin/sh
# shellcheck disable=SC2046 # the $(...) give word lists on purpose
# df-chunk's tokenizers against the npm tiktoken package (the WASM build
# of OpenAI's tiktoken that the issue names as the peer), in one run:
# single-thread MB of UTF-8 per CPU-second, best of 3, on English, code
# and multilingual text from this system's files, for cl100k_base and
# o200k_base, with the token totals of both sides (they must agree).
# Then df-chunk's recursive chunking against df-chunk --count over the
# same CHUNK_MB of English: the cost of chunking over counting.
#
# BENCH_MB (default 20) per kind; CHUNK_MB (default 100); BENCH_DIR
# (default ${TMPDIR:-/tmp}/df-bench) holds the corpora; the peer is
# installed with npm into BENCH_PEER (default ${TMPDIR:-/tmp}/df-bench-peer),
# outside the tree; without it (no network) the peer columns are skipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$here/..
bin=${DF_BIN:-$top/bin}
mb=${BENCH_MB:-20}
cmb=${CHUNK_MB:-100}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}
peer=${BENCH_PEER:-${TMPDIR:-/tmp}/df-bench-peer}
DF_DATADIR=$top/data
export DF_DATADIR
mkdir -p "$dir"

# Our side: tok_count in-process, built against the tree's library.
tb=$dir/tok-bench
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$top/lib" -o "$tb" \
    "$here/tok-bench.c" "$top/build/rel/libdf.a" -ljq \
    $(pkg-config --libs icu-uc) -pthread

have_peer=no
if [ -d "$peer/node_modules/tiktoken" ] ||
    (mkdir -p "$peer" && cd "$peer" && npm install --no-audit --no-fund \
    --cache "$peer/.npm" tiktoken@1.0.22 >/dev/null 2>&1); then
	have_peer=yes
else
	echo "npm install tiktoken failed (no network?): peer skipped"
fi

for kind in en code multi; do
	in=$dir/$kind-$mb.jsonl
	[ -s "$in" ] || { python3 "$here/chunk-gen.py" $kind "$mb" >"$in.tmp" &&
	    mv "$in.tmp" "$in"; }
done

echo "single thread, MB of UTF-8 text per CPU-second (best of 3), $mb MB a kind"
printf "%-6s %-11s %10s %8s %10s %8s %7s %s\n" kind encoding tokens df-chunk \
    peer-tok peer ratio same
for kind in en code multi; do
	for enc in cl100k_base o200k_base; do
		in=$dir/$kind-$mb.jsonl
		set -- $("$tb" $enc "$in")
		ours_tok=$1 ours=$4
		if [ $have_peer = yes ]; then
			set -- $(NODE_PATH=$peer/node_modules node \
			    "$here/tok-bench.js" $enc "$in")
			peer_tok=$1 peer_mbs=$4
		else
			peer_tok=- peer_mbs=0
		fi
		awk -v k=$kind -v e=$enc -v t="$ours_tok" -v o="$ours" \
		    -v pt="$peer_tok" -v p="$peer_mbs" 'BEGIN {
			printf "%-6s %-11s %10s %8.1f %10s %8.1f %6.1fx %s\n",
			    k, e, t, o, pt, p, (p > 0 ? o / p : 0),
			    pt == "-" ? "-" : (t == pt ? "yes" : "NO")
		}'
	done
done

in=$dir/en-$cmb.jsonl
[ -s "$in" ] || { python3 "$here/chunk-gen.py" en "$cmb" >"$in.tmp" &&
    mv "$in.tmp" "$in"; }
cat "$in" >/dev/null
best () {	# best NAME ARGS...: best-of-3 user+sys seconds of df-chunk
	b=
	for _ in 1 2 3; do
		/usr/bin/time -f "%U %S %e" -o "$dir/time" \
		    "$bin/df-chunk" "$@" "$in" >"$dir/out.chunk"
		c=$(awk '{ print $1 + $2 }' "$dir/time")
		b=$(awk -v b="$b" -v c="$c" 'BEGIN { print (b == "" || c < b) ? c : b }')
	done
	echo "$b"
}
t_count=$(best --count)
t_rec=$(best --max-tokens 512)
chunks=$(wc -l <"$dir/out.chunk")
rm -f "$dir/out.chunk" "$dir/time"
awk -v b="$(wc -c <"$in")" -v c="$t_count" -v r="$t_rec" -v n="$chunks" 'BEGIN {
	printf "\nchunking %.0f MB of English, single thread, CPU seconds (best of 3):\n", b / 1e6
	printf "df-chunk --count            %6.2f s  %6.1f MB/s\n", c, b / 1e6 / c
	printf "df-chunk (recursive, 512)   %6.2f s  %6.1f MB/s  %.2fx --count, %d chunks\n", r, b / 1e6 / r, r / c, n
}'
