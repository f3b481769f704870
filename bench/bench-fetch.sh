#!/bin/sh
# df-fetch against a polite curl shell loop, in one run, on the loopback
# web of tests/cli/fetch-server.py: 50 hosts x 11 URLs (one of them
# disallowed by robots.txt), 50 ms server latency, 0.2 s per-host delay,
# URLs in round-robin host order.  The polite lower bound is 10 gaps of
# 0.2 s = 2.0 s.  Every run is audited from the server's request log
# (spacing, robots.txt, one record per URL).  Then memory: max RSS of
# df-fetch over 100k and 1M URLs, file:// and unreachable hosts.
#
# BENCH_HOSTS (50), BENCH_PER_HOST (11), BENCH_DELAY (0.2), BENCH_LATENCY
# (0.05), BENCH_RUNS (3: best of), BENCH_PEER (1: run the curl peer),
# BENCH_MEM (1: run the memory part), BENCH_DIR (${TMPDIR:-/tmp}/df-bench).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DF_BIN:-$here/../bin}
srv=$here/../tests/cli/fetch-server.py
chk=$here/../tests/cli/fetch-check.py
hosts=${BENCH_HOSTS:-50}
per=${BENCH_PER_HOST:-11}
delay=${BENCH_DELAY:-0.2}
lat=${BENCH_LATENCY:-0.05}
runs=${BENCH_RUNS:-3}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/df-bench}/fetch
ua="dfbench/1.0 (+http://127.0.0.1/bench)"
mkdir -p "$dir"
cd "$dir"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

server_start() {
	rm -f port server.log
	python3 "$srv" --hosts "$hosts" --latency "$lat" --log server.log \
	    --port-file port --timeout 600 >/dev/null 2>&1 &
	spid=$!
	while [ ! -s port ]; do sleep 0.1; done
	port=$(cat port)
}
server_stop() { kill "$spid" 2>/dev/null || :; wait "$spid" 2>/dev/null || :; }

make_urls() {
	i=1
	while [ "$i" -le "$per" ]; do
		h=2
		while [ "$h" -le $((hosts + 1)) ]; do
			if [ "$i" -eq "$per" ]; then
				echo "http://127.0.0.$h:$port/private/$i"
			else
				echo "http://127.0.0.$h:$port/page/$i"
			fi
			h=$((h + 1))
		done
		i=$((i + 1))
	done >urls
}

# The polite shell peer: hosts in parallel, robots.txt first (5xx: skip
# the host, 4xx: allow all), the '*' group's Disallow prefixes obeyed,
# one request at a time per host with the delay between them; curl
# retries 408/429/5xx itself, honouring Retry-After.
peer_host() {	# peer_host HOSTADDR
	base=http://$1:$port
	code=$(curl -s -A "$ua" -o "robots.$1" -w '%{http_code}' \
	    "$base/robots.txt" || echo 000)
	case $code in
	5* | 000) return 0 ;;
	4*) : >"robots.$1" ;;
	esac
	awk 'tolower($1) == "user-agent:" { on = ($2 == "*") }
	    on && tolower($1) == "disallow:" && $2 != "" { print $2 }' \
	    "robots.$1" >"dis.$1"
	grep "^$base/" urls | while IFS= read -r u; do
		path=/${u#"$base"/}
		skip=0
		while IFS= read -r d; do
			case $path in "$d"*) skip=1 ;; esac
		done <"dis.$1"
		[ "$skip" = 1 ] && continue
		sleep "$delay"
		curl -s -A "$ua" --retry 3 -o "peer.$1.tmp" "$u" || :
	done
}

run_peer() {	# waits for its own jobs only: the server runs on
	h=2
	pids=
	while [ "$h" -le $((hosts + 1)) ]; do
		peer_host "127.0.0.$h" &
		pids="$pids $!"
		h=$((h + 1))
	done
	for p in $pids; do
		wait "$p"
	done
}

bound=$(echo "($per - 1) * $delay" | bc -l)
best=
audit=
r=1
while [ "$r" -le "$runs" ]; do
	server_start
	make_urls
	t0=$(now)
	"$bin/df-fetch" -q --delay "$delay" --user-agent "$ua" urls >out
	t1=$(now)
	server_stop
	t=$(elapsed "$t0" "$t1")
	a=$(python3 "$chk" --log server.log --in urls --out out \
	    --delay "$delay" | head -n 1)
	echo "df-fetch run $r: $t s; audit $a"
	if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then
		best=$t
		audit=$a
	fi
	r=$((r + 1))
done
ok=$(jq -s 'map(select(.status == 200)) | length' out)
robots=$(jq -s 'map(select(.error == "robots")) | length' out)

peer=skipped
if [ "${BENCH_PEER:-1}" = 1 ]; then
	server_start
	make_urls
	t0=$(now)
	run_peer
	t1=$(now)
	server_stop
	peer=$(elapsed "$t0" "$t1")
	pa=$(python3 "$chk" --log server.log --in urls --out /dev/null \
	    --delay "$delay" 2>/dev/null | head -n 1 || :)
	echo "polite curl shell loop: $peer s; audit $pa"
fi

awk -v n="$((hosts * per))" -v h="$hosts" -v b="$bound" -v t="$best" \
    -v p="$peer" -v ok="$ok" -v rb="$robots" -v d="$delay" -v l="$lat" \
    'BEGIN {
	printf "%d URLs, %d hosts, delay %s s, latency %s s: " \
	    "polite bound %.2f s\n", n, h, d, l, b
	printf "df-fetch (best of runs): %.2f s = %.2f x the bound, " \
	    "%.0f URLs/s; %d fetched, %d refused by robots.txt\n",
	    t, t / b, n / t, ok, rb
	if (p != "skipped")
		printf "polite curl shell loop: %.2f s = %.1f x df-fetch\n",
		    p, p / t
}'
echo "df-fetch audit: $audit"

if [ "${BENCH_MEM:-1}" = 1 ]; then
	# Memory: the input streams through a bounded window.
	printf 'x\n' >page.txt
	for n in 100000 1000000; do
		awk -v n=$n -v f="file://$dir/page.txt" \
		    'BEGIN { for (i = 0; i < n; i++) print f "?" i }' >mem.urls
		/usr/bin/time -f "%M %e" -o mem.time "$bin/df-fetch" -q mem.urls \
		    >/dev/null
		read -r rss secs <mem.time
		echo "file:// $n URLs: max RSS $rss KiB, $secs s"
		# Network path: 1000 hosts that refuse connections, so robots.txt
		# fails and every URL is an error record after one attempt.
		awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
		    printf "http://127.0.%d.%d:9/p/%d\n", 10 + i % 4,
		    1 + int(i / 4) % 250, i }' >mem.urls
		/usr/bin/time -f "%M %e" -o mem.time "$bin/df-fetch" -q \
		    --retries 0 --delay 0 --user-agent "$ua" mem.urls >mem.out
		read -r rss secs <mem.time
		echo "unreachable hosts $n URLs: max RSS $rss KiB, $secs s," \
		    "$(wc -l <mem.out) records"
	done
	rm -f mem.urls mem.out
fi
