#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# pipelines/pretrain-text.sh: the bundled pages served by three loopback
# hosts (one a site), crawled into a WARC with df-fetch --warc, then read
# back and filtered, deduplicated and counted per source.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # used in the test bodies
P=$SRC_DIR/pipelines

# serve ADDR DIR: a static web server for DIR on ADDR (a free port, in
# ./port.ADDR); it ends by itself after 120 s.
serve () {
	timeout 120 python3 -c '
import functools, http.server, os, sys
addr, root, pf = sys.argv[1:4]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass
h = functools.partial(Quiet, directory=root)
s = http.server.ThreadingHTTPServer((addr, 0), h)
with open(pf + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(pf + ".tmp", pf)
s.serve_forever()
' "$1" "$2" "port.$1" >/dev/null 2>&1 &
	echo $! >>pids
	_i=0
	while [ ! -s "port.$1" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "port.$1" ]
}

stop_servers () {
	while read -r pid; do
		kill "$pid" 2>/dev/null
	done <pids
	return 0
}

test_expect_success 'crawl three loopback sites into a WARC' '
	cd "$TRASH" &&
	: >pids &&
	serve 127.0.0.2 "$P/data/pages/kitchen" &&
	serve 127.0.0.3 "$P/data/pages/riverlog" &&
	serve 127.0.0.4 "$P/data/pages/stargazer" &&
	for a in 2 3 4; do
		port=$(cat port.127.0.0.$a) &&
		site=$(ls "$P/data/pages" | sed -n "$((a - 1))p") &&
		for f in "$P/data/pages/$site"/*.html; do
			echo "http://127.0.0.$a:$port/${f##*/}"
		done || return 1
	done >urls &&
	df-fetch -q --delay 0.05 --warc crawl.warc.gz <urls >fetched.jsonl;
	rc=$?
	stop_servers
	test $rc -eq 0 &&
	test_line_count 6 fetched.jsonl &&
	jq -r .status fetched.jsonl | sort -u >st && echo 200 >expect &&
	test_cmp expect st
'

test_expect_success 'the pipeline: filtered, deduplicated, counted per source' '
	cd "$TRASH" &&
	sh "$P/pretrain-text.sh" -o out crawl.warc.gz >log 2>&1 &&
	jq -c "{in, out}" out/records.stats.json >got &&
	echo "{\"in\":6,\"out\":6}" >expect && test_cmp expect got &&
	jq -r "._reject.reason" out/unique.rejects.jsonl >why &&
	echo exact-duplicate >expect && test_cmp expect why &&
	jq -r ".sources | to_entries[] | \"\(.key) \(.value.documents)\"" \
	    out/totals.json >got &&
	printf "127.0.0.2 2\n127.0.0.3 2\n127.0.0.4 1\n" >expect &&
	test_cmp expect got
'

test_expect_success 'the totals are the sum of the documents counts' '
	cd "$TRASH" &&
	jq -s "map(.tokens) | add" out/text.jsonl >sum &&
	jq .tokens out/totals.json >total &&
	test_cmp sum total &&
	test "$(cat total)" -gt 1000 &&
	df-chunk --count out/text.jsonl | jq -s "map(.tokens) | add" >again &&
	test_cmp sum again
'

test_expect_success 'usage errors' '
	test_expect_code 2 sh "$P/pretrain-text.sh" crawl.warc.gz 2>err &&
	grep -q "usage: pretrain-text.sh -o OUTDIR" err
'

test_done
