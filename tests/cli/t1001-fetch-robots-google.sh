#!/bin/sh
# shellcheck disable=SC2016,SC2034 # eval'd bodies use CASES
# df-fetch --robots-file: Google's robots.txt test suite (robots_test.cc of
# google/robotstxt, tests/data/fetch/robots-google.jsonl), every case
# through the offline mode, grouped by robots.txt body and agent; then the
# robotstxt-spec-test correctness cases (robots-spec.jsonl).
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

# The robotstxt-spec-test correctness cases (tests/data/fetch/README).
# Two of them disagree with Google's own parser: after a truncated UTF-8
# byte order mark (EF BB, or EF alone) robots.cc skips the bytes and
# reads "User-Agent: foo" (robots_test.cc counts it a valid directive),
# so Disallow: /AnyValue applies; the spec test expects the line lost.
# df-fetch follows robots.cc there.
SPEC=$SRC_DIR/tests/data/fetch/robots-spec.jsonl
test_expect_success 'every case of robotstxt-spec-test agrees (two BOM cases as robots.cc)' '
	test "$(wc -l <"$SPEC")" -ge 120 &&
	n=0 && bad=0 &&
	while IFS= read -r c; do
		n=$((n + 1))
		if printf "%s\n" "$c" | jq -e "has(\"robots_b64\")" >/dev/null; then
			printf "%s\n" "$c" | jq -r .robots_b64 | base64 -d >robots.txt
		else
			printf "%s\n" "$c" | jq -j .robots >robots.txt
		fi &&
		agent=$(printf "%s\n" "$c" | jq -r .agent) &&
		printf "%s\n" "$c" | jq -r .url >urls &&
		want=$(printf "%s\n" "$c" | jq "if .robots_b64 == \"77tVc2VyLUFnZW50OiBmb28KRGlzYWxsb3c6IC9BbnlWYWx1ZQo=\" or .robots_b64 == \"71VzZXItQWdlbnQ6IGZvbwpEaXNhbGxvdzogL0FueVZhbHVlCg==\" then false else .allowed end") &&
		df-fetch --robots-file robots.txt --user-agent "$agent" \
		    <urls >out 2>err || { cat err; return 1; }
		got=$(jq .allowed out) &&
		if [ "$got" != "$want" ]; then
			bad=$((bad + 1))
			echo "case $n: $c"
		fi
	done <"$SPEC" &&
	test "$n" -ge 120 &&
	test "$bad" -eq 0
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
