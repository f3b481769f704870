#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# df-fetch --warc writes WARC/1.1 (request and response records, a gzip
# member each); --from-warc reads WARC files back as records.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TEST_DIR/fetch-lib.sh"

test_expect_success '--warc archives every answer; --from-warc reads it back' '
	server_start --hosts 1 &&
	b=http://127.0.0.2:$PORT &&
	printf "%s\\n" "$b/page/a" "$b/redirect/1" "$b/bytes/300" \
	    "$b/status/404" >urls &&
	df-fetch --delay 0 --warc crawl.warc.gz --user-agent "$UA" urls >out &&
	server_stop &&
	gzip -t crawl.warc.gz &&
	zcat crawl.warc.gz >crawl.warc &&
	grep -c "^WARC-Type: response" crawl.warc >n &&
	echo 5 >expect && test_cmp expect n &&
	grep -c "^WARC-Type: request" crawl.warc >n &&
	test_cmp expect n &&
	grep -c "^WARC-Type: warcinfo" crawl.warc >n &&
	echo 1 >expect && test_cmp expect n &&
	grep "^User-Agent: dftest/1.0" crawl.warc >/dev/null &&
	df-fetch --from-warc crawl.warc.gz >back &&
	jq -r "[.url, .status] | @tsv" back | sed "s|^http://[^/]*||" >actual &&
	printf "%s\\t%s\\n" /page/a 200 /redirect/1 302 /page/end 200 \
	    /bytes/300 200 /status/404 404 >expect &&
	test_cmp expect actual &&
	head -n 1 back | jq .body >b1 &&
	head -n 1 out | jq .body >b2 &&
	test_cmp b2 b1 &&
	sed -n 4p back | jq -r .body_b64 | base64 -d | wc -c >n &&
	echo 300 >expect && test_cmp expect n &&
	df-fetch --from-warc - <crawl.warc >back2 &&
	test_cmp back back2 &&
	df-fetch -j 2 --from-warc --stats st.json --where ".status == 200" \
	    crawl.warc.gz crawl.warc >back3 &&
	jq -c "[.in, .out, .rejected]" st.json >actual &&
	echo "[10,10,{}]" >expect && test_cmp expect actual &&
	cat back back >expect && test_cmp expect back3
'

test_expect_success '--from-warc: a damaged file is reported, exit 1' '
	printf "WARC/1.1\\r\\nWARC-Type: response\\r\\nContent-Length: 500\\r\\n\\r\\nshort" \
	    >bad.warc &&
	test_expect_code 1 df-fetch --from-warc bad.warc >out 2>err &&
	test_must_be_empty out &&
	grep "^df-fetch: bad.warc: record 1: truncated" err &&
	test_expect_code 2 df-fetch --from-warc nosuch.warc 2>err &&
	grep "^df-fetch: nosuch.warc: " err
'

test_done
