#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# df-fetch --state: validators kept between runs, conditional requests,
# 304 records (or none with --changed-only), and an interrupted run
# resumed without fetching again what it already wrote.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TEST_DIR/fetch-lib.sh"

test_expect_success 'a second run asks conditionally and gets 304 records' '
	server_start --hosts 2 &&
	printf "%s\\n" "http://127.0.0.2:$PORT/etag/a" \
	    "http://127.0.0.2:$PORT/page/x" "http://127.0.0.3:$PORT/etag/b" \
	    >urls &&
	df-fetch --delay 0 --state st --user-agent "$UA" urls >out1 &&
	jq -r "[.status, (.etag // \"\" | length)] | @tsv" out1 >actual &&
	printf "200\\t6\\n200\\t0\\n200\\t6\\n" >expect &&
	test_cmp expect actual &&
	tail -n 1 st | jq -e ".complete == true" &&
	df-fetch --delay 0 --state st --user-agent "$UA" urls >out2 &&
	jq -r "[.status, (.etag // \"\" | length), (.body // \"-\")[0:6]] |
	    @tsv" out2 >actual &&
	printf "304\\t6\\t-\\n200\\t0\\t<html>\\n304\\t6\\t-\\n" >expect &&
	test_cmp expect actual &&
	test "$(grep -c if-none-match server.log)" -eq 2 &&
	df-fetch --delay 0 --state st --changed-only --stats st.json \
	    --rejects rej --user-agent "$UA" urls >out3 &&
	server_stop &&
	test_line_count 1 out3 &&
	jq -e ".url | endswith(\"/page/x\")" out3 &&
	jq -e ".in == 3 and .out == 1 and .rejected.unchanged == 2 and
	    .errors == 0" st.json &&
	test_line_count 2 rej
'

test_expect_success 'an interrupted run is resumed, nothing fetched twice' '
	server_start --hosts 1 &&
	b=http://127.0.0.2:$PORT &&
	printf "%s\\n" "$b/page/1" "$b/page/2" "$b/page/3" "$b/slow/100000/10" \
	    "$b/page/4" "$b/page/5" >urls &&
	(
		DF_VALGRIND_LEAKS=no
		export DF_VALGRIND_LEAKS
		exec df-fetch -u --delay 0 --state st --user-agent "$UA" urls \
		    >out1 2>err1
	) &
	pid=$! &&
	i=0 &&
	while [ "$(cat out1 2>/dev/null | wc -l)" -lt 3 ] &&
	    [ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done &&
	sleep 0.5 &&
	kill $pid && { wait $pid || :; } &&
	test_line_count 3 out1 &&
	! tail -n 1 st | grep complete &&
	df-fetch --delay 0 --state st --timeout 1 --retries 0 \
	    --stats st.json --user-agent "$UA" urls >out2 &&
	server_stop &&
	jq -r "[(.url | sub(\"^http://[^/]*\"; \"\")), .status // .error] |
	    @tsv" out2 >actual &&
	printf "/slow/100000/10\\ttimeout\\n/page/4\\t200\\n/page/5\\t200\\n" \
	    >expect &&
	test_cmp expect actual &&
	jq -e ".rejected[\"already-fetched\"] == 3" st.json &&
	for p in 1 2 3 4 5; do
		test "$(grep -c "\"/page/$p\"" server.log)" -eq 1 || return 1
	done &&
	tail -n 1 st | jq -e ".complete == true"
'

test_expect_success '--changed-only needs --state; a bad state file is exit 2' '
	echo http://127.0.0.2:9/x >urls &&
	test_expect_code 2 df-fetch --changed-only urls 2>err &&
	grep "changed-only" err &&
	echo "not json" >st &&
	test_expect_code 2 df-fetch --state st urls >out 2>err &&
	test_must_be_empty out &&
	grep "^df-fetch: st:1: " err
'

test_done
