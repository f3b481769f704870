#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# df-fetch input and output records: bare URLs or records (--field), other
# fields kept in place, exactly one record per input URL in input order
# whatever the hosts' speed, bad input rejected with a reason, --stats.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TEST_DIR/fetch-lib.sh"

test_expect_success 'bare URLs and records mix; fields pass through' '
	printf "one" >a.txt &&
	{
		echo "file://$PWD/a.txt"
		echo "{\"id\":\"r2\",\"meta\":{\"k\":1},\"url\":\"file://$PWD/a.txt\",\"status\":\"old\"}"
	} >in &&
	df-fetch in >out &&
	jq -c "[.id, .meta, .url == \"file://$PWD/a.txt\", .status, .body]" \
	    out >actual &&
	printf "%s\\n" "[null,null,true,200,\"one\"]" \
	    "[\"r2\",{\"k\":1},true,200,\"one\"]" >expect &&
	test_cmp expect actual &&
	sed -n 2p out | grep "^{\"id\":\"r2\",\"meta\":{\"k\":1},\"url\":"
'

test_expect_success '--field reads the URL elsewhere; a missing one is rejected' '
	printf "two" >b.txt &&
	{
		echo "{\"id\":\"a\",\"link\":{\"href\":\"file://$PWD/b.txt\"}}"
		echo "{\"id\":\"b\"}"
		echo "{\"id\":\"c\",\"link\":{\"href\":42}}"
	} >in &&
	test_expect_code 1 df-fetch --field .link.href --rejects rej \
	    --stats st in >out 2>err &&
	test_line_count 1 out &&
	jq -e ".id == \"a\" and .body == \"two\"" out &&
	jq -r "._reject.reason" rej >actual &&
	printf "missing-field\\nmissing-field\\n" >expect &&
	test_cmp expect actual &&
	grep "^df-fetch: in:2: field .\.link\.href. is missing" err &&
	jq -e ".in == 3 and .out == 1 and .rejected[\"missing-field\"] == 2" st
'

test_expect_success 'one record per URL in input order, slow hosts first' '
	cat >config.json <<-EOF2 &&
	{"hosts": {"127.0.0.2": {"latency": 0.3}, "127.0.0.3": {"latency": 0}}}
	EOF2
	server_start --hosts 3 --config config.json &&
	for i in 1 2 3 4; do
		echo "http://127.0.0.2:$PORT/page/$i"
		echo "{\"n\":$i,\"url\":\"http://127.0.0.3:$PORT/page/$i\"}"
		echo "http://127.0.0.4:$PORT/status/404?$i"
		echo "nope://x/$i"
	done >urls &&
	df-fetch --delay 0 --concurrency 2 --user-agent "$UA" --stats st \
	    urls >out &&
	server_stop &&
	fetch_check --in urls --out out --delay 0 &&
	test_line_count 16 out &&
	jq -e ".in == 16 and .out == 16 and .requests >= 15" st
'

test_expect_success 'not a URL, not JSON: rejected, the rest goes on' '
	printf "x" >c.txt &&
	{
		echo "file://$PWD/c.txt"
		echo "just words"
		echo "file://$PWD/c.txt"
	} >in &&
	test_expect_code 1 df-fetch in >out 2>err &&
	test_line_count 2 out &&
	grep "^df-fetch: in:2: " err
'

test_expect_success 'bad option values are usage errors' '
	test_expect_code 2 df-fetch --delay -1 </dev/null 2>err &&
	grep "^df-fetch: --delay" err &&
	test_expect_code 2 df-fetch --per-host 0 </dev/null 2>err &&
	test_expect_code 2 df-fetch --max-bytes 1x </dev/null 2>err &&
	test_expect_code 2 df-fetch --user-agent "" </dev/null 2>err &&
	test_expect_code 2 df-fetch --field ".[0]" </dev/null 2>err
'

test_expect_success '--version names libcurl' '
	df-fetch --version >out &&
	sed -n 2p out | grep "^libcurl/"
'

test_done
