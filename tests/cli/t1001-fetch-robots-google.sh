#!/bin/sh
# shellcheck disable=SC2016,SC2034 # eval'd bodies use CASES
# df-fetch --robots-file: Google's robots.txt test suite (robots_test.cc of
# google/robotstxt, tests/data/fetch/robots-google.jsonl), every case
# through the offline mode, grouped by robots.txt body and agent.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

CASES=$SRC_DIR/tests/data/fetch/robots-google.jsonl

test_expect_success 'every case of robots_test.cc agrees' '
	jq -sc "group_by([.robots, .agent])[]" "$CASES" >groups &&
	test "$(wc -l <groups)" -gt 30 &&
	n=0 && bad=0 &&
	while IFS= read -r g; do
		n=$((n + 1))
		printf "%s\\n" "$g" | jq -j ".[0].robots" >robots.txt &&
		agent=$(printf "%s\\n" "$g" | jq -r ".[0].agent") &&
		printf "%s\\n" "$g" | jq -r ".[].url" >urls &&
		printf "%s\\n" "$g" | jq -c ".[] | {url, allowed}" >expect &&
		df-fetch --robots-file robots.txt --user-agent "$agent" \
		    <urls >out 2>err || { cat err; return 1; }
		jq -c "{url, allowed}" out >got &&
		if ! cmp -s expect got; then
			bad=$((bad + 1))
			echo "group $n (agent $agent):"
			diff expect got
		fi
	done <groups &&
	test "$bad" -eq 0 &&
	test "$(jq -s length "$CASES")" -ge 140
'

test_expect_success 'one record per URL, in input order, extra fields kept' '
	printf "user-agent: *\\ndisallow: /p\\n" >robots.txt &&
	{
		echo "http://h/p/1"
		echo "{\"id\":\"a\",\"url\":\"http://h/q\"}"
		echo "/p"
	} >in &&
	df-fetch --robots-file robots.txt --user-agent x <in >out &&
	printf "%s\\n" "{\"url\":\"http://h/p/1\",\"allowed\":false}" \
	    "{\"id\":\"a\",\"url\":\"http://h/q\",\"allowed\":true}" \
	    "{\"url\":\"/p\",\"allowed\":false}" >expect &&
	test_cmp expect out
'

test_expect_success 'the product token of a full User-Agent is matched' '
	printf "user-agent: mybot\\ndisallow: /\\n" >robots.txt &&
	echo http://h/x >in &&
	df-fetch --robots-file robots.txt \
	    --user-agent "mybot/2.1 (+https://example.org/bot)" <in >out &&
	jq -e ".allowed == false" out &&
	df-fetch --robots-file robots.txt --user-agent otherbot/1 <in >out &&
	jq -e ".allowed == true" out
'

test_expect_success 'Crawl-delay and Sitemap lines do not change the answer' '
	printf "user-agent: a\\ncrawl-delay: 3\\nsitemap: http://h/s.xml\\nuser-agent: b\\ndisallow: /\\n" >robots.txt &&
	echo http://h/x >in &&
	df-fetch --robots-file robots.txt --user-agent a <in >out &&
	jq -e ".allowed == false" out
'

test_expect_success 'a missing robots file is exit 2' '
	echo http://h/x >in &&
	test_expect_code 2 df-fetch --robots-file nosuch --user-agent a \
	    <in >out 2>err &&
	test_must_be_empty out &&
	grep "^df-fetch: nosuch: " err
'

test_done
