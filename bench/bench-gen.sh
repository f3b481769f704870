#!/bin/sh
# df-gen against the ways a user would otherwise call an LLM API, in one
# run, all against tests/llm-stub.py on loopback with 0.5 s per request
# and at most 8 requests at once (so at most 16 requests/s): the share of
# that limit each reaches, measured at the server (requests / the span
# from the first arrival to the last answer), and the wall time.
#
#   df-gen -j 1 -c 8, from a file and through a pipe (best of 3)
#   a Python thread pool of 8 (urllib, a sha256 file cache) (best of 3)
#   GNU parallel -j 8 running curl + jq per record (once)
#   a shell loop of curl + jq per record (once, on BENCH_LOOP records)
#
# Then a rerun of df-gen over its cache (requests made: must be 0).
# BENCH_RECORDS (default 200), BENCH_LOOP (default 20).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
n=${BENCH_RECORDS:-200}
nloop=${BENCH_LOOP:-20}
dir=$(mktemp -d "${TMPDIR:-/tmp}/df-bench-gen.XXXXXX")
trap 'kill "$stub" 2>/dev/null; rm -rf "$dir"' EXIT
cd "$dir"

awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
    printf "{\"id\":\"c%05d\",\"text\":\"Chunk %d (ref c%05d). Water boils at 100 degrees at sea level.\"}\n", i, i, i }' >in.jsonl
head -n "$nloop" in.jsonl >loop.jsonl

python3 "$here/../tests/llm-stub.py" --port-file port --log log.jsonl \
    --latency 0.5 --max-concurrency 8 --idle 120 --lifetime 3600 &
stub=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=http://127.0.0.1:$(cat port)/v1

now() { date +%s.%N; }
# share FROM TO: requests logged in lines FROM..TO, as a share of 16/s.
share() {
	sed -n "$1,$2p" log.jsonl | jq -s 'length / ((map(.t_end) | max) -
	    (map(.t) | min)) / 16'
}
# measure NAME CMD...: run CMD, print "NAME wall share ok429" where the
# share is over the requests it made.
measure() {
	name=$1; shift
	before=$(wc -l <log.jsonl 2>/dev/null || echo 0)
	t0=$(now)
	"$@" >"out.$name"
	t1=$(now)
	after=$(wc -l <log.jsonl)
	s=0 busy=0
	if [ "$after" -gt "$before" ]; then
		s=$(share $((before + 1)) "$after")
		busy=$(sed -n "$((before + 1)),${after}p" log.jsonl |
		    jq -s 'map(select(.status != 200)) | length')
	fi
	echo "$name $(echo "$t1 - $t0" | bc -l) $s $((after - before)) $busy \
$(wc -l <"out.$name")"
}
best() {	# best NAME CMD...: best of 3 by share
	for _ in 1 2 3; do
		rm -rf cache py-cache
		measure "$@"
	done | sort -k3 -g | tail -n 1
}

{
	best df-gen-file "$bin/df-gen" -q --endpoint "$url" --model m \
	    --prompt .text -c 8 --no-cache in.jsonl
	best df-gen-pipe sh -c "cat in.jsonl | '$bin/df-gen' -q -u \
	    --endpoint '$url' --model m --prompt .text -c 8 --no-cache"
	best python-pool8 sh -c "python3 '$here/gen-peer.py' \
	    '$url/chat/completions' m 8 py-cache <in.jsonl"
	if command -v parallel >/dev/null; then
		measure parallel-j8 sh -c "parallel --pipe -N1 -j 8 -k \
		    \"jq -c '{model: \\\"m\\\", messages: [{role: \\\"user\\\", \
content: .text}]}' | curl -s -H 'Content-Type: application/json' \
		    -d @- '$url/chat/completions' | jq -c \
		    '{text: .choices[0].message.content}'\" <in.jsonl"
	fi
	measure curl-loop sh -c "while read -r line; do \
	    printf '%s' \"\$line\" | jq -c '{model: \"m\", messages: \
[{role: \"user\", content: .text}]}' | curl -s -H \
	    'Content-Type: application/json' -d @- \
	    '$url/chat/completions' | jq -c \
	    '{text: .choices[0].message.content}'; done <loop.jsonl"
	rm -rf cache
	"$bin/df-gen" -q --endpoint "$url" --model m --prompt .text -c 8 \
	    --cache cache in.jsonl >/dev/null
	measure df-gen-rerun "$bin/df-gen" -q --endpoint "$url" --model m \
	    --prompt .text -c 8 --cache cache in.jsonl
} >results

awk -v n="$n" 'BEGIN {
	printf "stub: 0.5 s a request, 8 at once (16 requests/s at most); %d records\n", n
	printf "%-14s %8s %8s %9s %8s %6s %7s\n", "client", "wall s", "req/s",
	    "of limit", "requests", "non-200", "outputs"
}
{
	if ($1 == "df-gen-rerun") {
		printf "%-14s %8.2f %8s %9s %8d %6d %7d\n", $1, $2, "-", "-", $4,
		    $5, $6
		next
	}
	printf "%-14s %8.2f %8.2f %8.1f%% %8d %6d %7d\n", $1, $2, $3 * 16,
	    $3 * 100, $4, $5, $6
	if ($1 == "df-gen-file") g = $3
	else if ($1 != "df-gen-pipe") peers[$1] = $3
}
END {
	for (p in peers)
		printf "df-gen-file / %s: %.2fx the share of the limit\n", p,
		    g / peers[p]
}' results
