#!/bin/sh
# shellcheck disable=SC2016,SC2034 # eval'd bodies use the variables set here
# Hostile pages are data, not a crash: deep nesting, binary garbage,
# truncated documents, wrong charsets, huge pages.  Each run is bounded
# in time (generous under valgrind) and every record is accounted for.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

limit=30
[ -n "${DF_VALGRIND:-}" ] && limit=600

# bounded CMD...: CMD, killed when it runs longer than $limit seconds.
bounded () {
	timeout "$limit" "$@"
}

para='<p>The tide on the North Sea coast rises twice a day, and the water can come in faster than a person walks.</p>'

test_expect_success '100 000 levels of nesting: no crash, a clean answer' '
	awk -v p="$para" "BEGIN { printf \"<html><body>%s\", p
	    for (i = 0; i < 100000; i++) printf \"<div>\"
	    printf \"deep\"
	    for (i = 0; i < 100000; i++) printf \"</div>\"
	    print \"</body></html>\" }" >deep.html &&
	bounded df-extract --html --stats st.json deep.html >out.jsonl &&
	jq -r .text out.jsonl >text &&
	grep -q "rises twice a day" text &&
	jq -e ".in == 1 and .out == 1" st.json
'

test_expect_success 'nesting of unclosed inline tags' '
	awk -v p="$para" "BEGIN { printf \"<html><body>%s\", p
	    for (i = 0; i < 50000; i++) printf \"<b><i><span>x\"
	    print \"</body></html>\" }" >deep.html &&
	bounded df-extract --html --min-chars 0 deep.html >out.jsonl &&
	test_line_count 1 out.jsonl
'

test_expect_success 'binary garbage is rejected not-html' '
	head -c 200000 /dev/urandom >junk.bin &&
	bounded df-extract --html --rejects rej.jsonl junk.bin >out.jsonl &&
	test_must_be_empty out.jsonl &&
	jq -r "._reject.reason" rej.jsonl >actual &&
	echo not-html >expect &&
	test_cmp expect actual
'

test_expect_success 'garbage as a JSON string too' '
	head -c 30000 /dev/urandom | base64 -w 0 | jq -Rc "{id: \"g\", body_b64: .}" >in.jsonl &&
	printf "{\"id\":\"n\",\"body\":\"\\\\u0000\\\\u0001\\\\u0002\\\\u0003\\\\u0004\\\\u0005\\\\u0006\"}\\n" >>in.jsonl &&
	bounded df-extract --rejects rej.jsonl --stats st.json in.jsonl >out.jsonl &&
	test_must_be_empty out.jsonl &&
	jq -e ".in == 2 and .out == 0 and .errors == 0" st.json &&
	test_line_count 2 rej.jsonl
'

test_expect_success 'a truncated document gives what is there' '
	printf "<html><head><title>Cut</title></head><body><article>%s%s<p>The second paragraph is cut off in the mid" "$para" "$para" >cut.html &&
	bounded df-extract --html cut.html >out.jsonl &&
	jq -r .text out.jsonl >text &&
	grep -q "cut off in the mid\$" text &&
	test "$(grep -c "rises twice a day" text)" -eq 2
'

test_expect_success 'truncated inside a tag, a comment, a script' '
	for tail in "<di" "<!-- never closed" "<script>var a = \"" "<a href=\"x" "&am"; do
		printf "<html><body>%s%s" "$para" "$tail" >t.html &&
		bounded df-extract --html t.html >>out.jsonl || return 1
	done &&
	test_line_count 5 out.jsonl &&
	jq -r .text out.jsonl | grep -c "rises twice a day" >n &&
	echo 5 >expect &&
	test_cmp expect n
'

test_expect_success 'a wrong declared charset still gives valid UTF-8' '
	printf "<html><head><meta charset=\"utf-8\"></head><body><p>\\344\\366\\374 \\301\\302\\303 \\200\\201 words enough to be the main text of this page, surely.</p></body></html>" >w.html &&
	bounded df-extract --html --min-chars 10 w.html >out.jsonl &&
	jq -r .text out.jsonl >text &&
	iconv -f UTF-8 -t UTF-8 text >/dev/null &&
	grep -q "words enough" text
'

test_expect_success 'an unknown charset falls back to detection' '
	printf "<html><head><meta charset=\"x-no-such-charset\"></head><body>%s</body></html>" "$para" >u.html &&
	bounded df-extract --html u.html | jq -r .text >text &&
	grep -q "rises twice a day" text
'

test_expect_success 'a page over --max-bytes is rejected too-large, unparsed' '
	awk -v p="$para" "BEGIN { print \"<html><body>\"; for (i = 0; i < 200000; i++) print p }" >big.html &&
	test "$(wc -c <big.html)" -gt 20000000 &&
	bounded df-extract --html --rejects rej.jsonl --stats st.json big.html >out.jsonl &&
	test_must_be_empty out.jsonl &&
	jq -r "._reject.reason" rej.jsonl >actual &&
	echo too-large >expect &&
	test_cmp expect actual &&
	jq -e ".rejected == {\"too-large\": 1}" st.json
'

test_expect_success '--max-bytes on records, and a big page under it is fine' '
	awk -v p="$para" "BEGIN { printf \"<html><body>\"; for (i = 0; i < 20000; i++) printf \"%s\", p; print \"</body></html>\" }" >big.html &&
	jq -Rsc "{id: \"big\", body: .}" big.html >in.jsonl &&
	bounded df-extract --max-bytes 1M --rejects rej.jsonl in.jsonl >out.jsonl &&
	test_must_be_empty out.jsonl &&
	jq -e "._reject.reason == \"too-large\"" rej.jsonl &&
	bounded df-extract in.jsonl >out.jsonl &&
	test "$(jq -r ".text | length" out.jsonl)" -gt 2000000
'

test_expect_success 'a page of nothing but markup is no-content' '
	printf "<html><body><div><span></span><img src=x></div></body></html>" >e.html &&
	printf "" >empty.html &&
	df-extract --html --rejects rej.jsonl e.html empty.html >out.jsonl &&
	test_must_be_empty out.jsonl &&
	jq -r "._reject.reason" rej.jsonl >actual &&
	printf "%s\\n" no-content no-content >expect &&
	test_cmp expect actual
'

test_done
