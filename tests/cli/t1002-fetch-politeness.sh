#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# df-fetch politeness against the loopback web: robots.txt first and
# obeyed (also through redirects, 5xx = nothing fetched, 4xx = all),
# spacing max(--delay, Crawl-delay) per host, Retry-After honoured, and
# one record per input URL, all audited from the server's request log.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TEST_DIR/fetch-lib.sh"

# Hosts: .2 default robots (Disallow /private), .3 Crawl-delay 0.4, .4
# robots.txt 503, .5 robots.txt 404, .6 robots.txt redirected.
write_config () {
	cat >config.json <<-EOF2
	{"hosts": {
	  "127.0.0.3": {"robots": "User-agent: *\\nCrawl-delay: 0.4\\nDisallow: /private\\n"},
	  "127.0.0.4": {"robots_status": 503},
	  "127.0.0.5": {"robots_status": 404},
	  "127.0.0.6": {"robots_redirect": "/redirected-robots.txt",
	                "robots": "User-agent: *\\nDisallow: /page/secret\\n"}
	}}
	EOF2
}

test_expect_success 'mixed hosts: no rule broken, one record per URL' '
	write_config &&
	server_start --hosts 5 --latency 0.02 --config config.json &&
	b2=http://127.0.0.2:$PORT b3=http://127.0.0.3:$PORT &&
	b4=http://127.0.0.4:$PORT b5=http://127.0.0.5:$PORT &&
	b6=http://127.0.0.6:$PORT &&
	cat >urls <<-EOF2 &&
	$b2/page/1
	$b2/private/1
	$b3/page/1
	$b2/page/2
	$b3/page/2
	$b4/page/1
	$b5/page/1
	$b5/private/1
	$b6/page/1
	$b6/page/secret
	$b2/redirect-to/127.0.0.3/private/x
	$b3/redirect-to/127.0.0.2/page/3
	$b2/redirect/3
	$b3/page/3
	$b4/page/2
	$b2/page/1#frag
	EOF2
	df-fetch --delay 0.1 --retry-wait 0.1 --user-agent "$UA" urls \
	    >out 2>err &&
	server_stop &&
	fetch_check --in urls --out out --delay 0.1 --config config.json &&
	jq -r "[.url, .status // \"-\", .error // \"-\"] | @tsv" out >got &&
	sed "s/:$PORT//" got >actual &&
	cat >expect <<-EOF2 &&
	http://127.0.0.2/page/1${TAB}200${TAB}-
	http://127.0.0.2/private/1${TAB}-${TAB}robots
	http://127.0.0.3/page/1${TAB}200${TAB}-
	http://127.0.0.2/page/2${TAB}200${TAB}-
	http://127.0.0.3/page/2${TAB}200${TAB}-
	http://127.0.0.4/page/1${TAB}-${TAB}robots
	http://127.0.0.5/page/1${TAB}200${TAB}-
	http://127.0.0.5/private/1${TAB}200${TAB}-
	http://127.0.0.6/page/1${TAB}200${TAB}-
	http://127.0.0.6/page/secret${TAB}-${TAB}robots
	http://127.0.0.2/redirect-to/127.0.0.3/private/x${TAB}-${TAB}robots
	http://127.0.0.3/redirect-to/127.0.0.2/page/3${TAB}200${TAB}-
	http://127.0.0.2/redirect/3${TAB}200${TAB}-
	http://127.0.0.3/page/3${TAB}200${TAB}-
	http://127.0.0.4/page/2${TAB}-${TAB}robots
	http://127.0.0.2/page/1#frag${TAB}200${TAB}-
	EOF2
	test_cmp expect actual &&
	jq -s -e ".[12] | (.final_url | endswith(\"/page/end\")) and
	    .attempts == 4" out &&
	grep -c "127\.0\.0\.4.*robots" server.log >n4 &&
	test "$(cat n4)" -ge 2 &&
	! grep "\"host\": \"127.0.0.4\", \"path\": \"/page" server.log &&
	grep "127.0.0.5\", \"path\": \"/private/1\"" server.log
'

test_expect_success 'the User-Agent is sent, its token is the robots name' '
	cat >config.json <<-EOF2 &&
	{"robots": "User-agent: dftest\\nDisallow: /page/b\\n\\nUser-agent: *\\nDisallow: /\\n"}
	EOF2
	server_start --hosts 1 --config config.json &&
	printf "%s\\n" "http://127.0.0.2:$PORT/page/a" \
	    "http://127.0.0.2:$PORT/page/b" >urls &&
	df-fetch --delay 0 --user-agent "$UA" urls >out &&
	server_stop &&
	jq -r ".error // \"ok\"" out >actual &&
	printf "ok\\nrobots\\n" >expect &&
	test_cmp expect actual &&
	jq -r .ua server.log | sort -u >uas &&
	echo "$UA" >expect &&
	test_cmp expect uas
'

test_expect_success 'Retry-After (seconds and HTTP-date) and 5xx flaps' '
	server_start --hosts 2 &&
	b2=http://127.0.0.2:$PORT b3=http://127.0.0.3:$PORT &&
	printf "%s\\n" "$b2/retry-after/a/2/1" "$b3/retry-date/b/1/1" \
	    "$b2/flap/c/2/503" "$b3/page/x" "$b2/flap/d/9/500" >urls &&
	df-fetch --delay 0.05 --retry-wait 0.05 --retries 3 \
	    --user-agent "$UA" urls >out 2>err &&
	server_stop &&
	fetch_check --in urls --out out --delay 0.05 &&
	jq -r "[.status, .attempts, .error // \"-\"] | @tsv" out >actual &&
	printf "200\\t3\\t-\\n200\\t2\\t-\\n200\\t3\\t-\\n200\\t1\\t-\\n500\\t4\\thttp-500\\n" \
	    >expect &&
	test_cmp expect actual &&
	test "$(grep -c retry_after server.log)" -eq 3
'

test_expect_success 'a Retry-After beyond --max-retry-after is not waited for' '
	server_start --hosts 1 &&
	echo "http://127.0.0.2:$PORT/retry-after/z/5/3600" >urls &&
	df-fetch --delay 0 --max-retry-after 60 --user-agent "$UA" urls >out &&
	server_stop &&
	jq -e ".status == 429 and .error == \"http-429\" and .attempts == 1" out
'

test_expect_success 'per-host spacing holds while many hosts run at once' '
	server_start --hosts 8 --latency 0.01 &&
	for i in 1 2 3 4 5 6; do
		for h in 2 3 4 5 6 7 8 9; do
			echo "http://127.0.0.$h:$PORT/page/$i"
		done
	done >urls &&
	df-fetch --delay 0.15 --user-agent "$UA" urls >out &&
	server_stop &&
	fetch_check --in urls --out out --delay 0.15 &&
	test "$(jq -s "map(select(.status == 200)) | length" out)" -eq 48
'

test_expect_success '--ignore-robots fetches without robots.txt and says so' '
	server_start --hosts 1 &&
	echo "http://127.0.0.2:$PORT/private/a" >urls &&
	df-fetch --ignore-robots --delay 0 --user-agent "$UA" urls >out &&
	server_stop &&
	jq -e ".status == 200 and .robots == \"ignored\"" out &&
	! grep robots.txt server.log
'

test_expect_success 'a host waiting out its delay keeps its connection' '
	server_start --hosts 20 &&
	i=1 &&
	while [ $i -le 3 ]; do
		h=2 &&
		while [ $h -le 21 ]; do
			echo "http://127.0.0.$h:$PORT/page/$i" &&
			h=$((h + 1)) || return 1
		done &&
		i=$((i + 1)) || return 1
	done >urls &&
	df-fetch --delay 0.2 urls >out &&
	server_stop &&
	jq -s "map(select(.status == 200)) | length" out >n &&
	echo 60 >expect && test_cmp expect n &&
	jq -r "[.host, .conn] | @tsv" server.log | sort -u | cut -f1 |
	    uniq -d | wc -l >n &&
	echo 0 >expect && test_cmp expect n
'

test_done
