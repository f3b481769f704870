#!/bin/sh
# shellcheck disable=SC2016,SC2034 # eval'd bodies use the variables set here
# df-extract's records: fields kept in order, the page dropped unless
# --keep-html, --field, body_b64, content_type, --min-chars, rejects and
# stats that add up, --html operands, -j.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

page='<html><head><title>Tides</title></head><body><p>The tide on the North Sea coast rises twice a day, and the water can come in faster than a person walks.</p></body></html>'
text='The tide on the North Sea coast rises twice a day, and the water can come in faster than a person walks.'

test_expect_success 'other fields kept in order; the page dropped; ours appended' '
	jq -nc --arg b "$page" "{id: \"a\", url: \"https://example.org/a\", body: \$b, n: 1, text: \"old\"}" |
	    sed "s/\"n\":1,/\"n\":1.50,/" >in.jsonl &&
	grep -q "\"n\":1.50," in.jsonl &&
	df-extract in.jsonl >out.jsonl &&
	jq -c "keys_unsorted" out.jsonl >actual &&
	echo "[\"id\",\"url\",\"n\",\"text\",\"title\",\"author\",\"date\",\"date_modified\",\"lang\",\"description\",\"site_name\",\"canonical_url\",\"image\",\"page_type\"]" >expect &&
	test_cmp expect actual &&
	grep -q "\"n\":1.50," out.jsonl &&
	jq -r .text out.jsonl >actual &&
	echo "$text" >expect &&
	test_cmp expect actual
'

test_expect_success '--keep-html keeps the page' '
	jq -nc --arg b "$page" "{id: \"a\", body: \$b}" >in.jsonl &&
	df-extract --keep-html in.jsonl | jq -r .body >actual &&
	echo "$page" >expect &&
	test_cmp expect actual
'

test_expect_success '--field: a nested page field' '
	jq -nc --arg b "$page" "{id: \"a\", fetch: {html: \$b, status: 200}}" >in.jsonl &&
	df-extract --field .fetch.html in.jsonl >out.jsonl &&
	jq -c "[.fetch, .title, (.text | length > 50)]" out.jsonl >actual &&
	echo "[{\"status\":200},\"Tides\",true]" >expect &&
	test_cmp expect actual
'

test_expect_success 'body_b64 is read when there is no body, and dropped' '
	printf "%s" "$page" | base64 -w 0 | jq -Rc "{id: \"b\", body_b64: ., charset: \"utf-8\"}" >in.jsonl &&
	df-extract in.jsonl >out.jsonl &&
	jq -c "[.charset, .text == \"$text\", has(\"body_b64\")]" out.jsonl >actual &&
	echo "[\"utf-8\",true,false]" >expect &&
	test_cmp expect actual
'

test_expect_success 'rejects: no-body, not-html, no-content; errors: bad fields' '
	jq -nc --arg b "$page" "{id: \"ok\", body: \$b}" >in.jsonl &&
	echo "{\"id\":\"nobody\",\"fetch\":{\"status\":404}}" >>in.jsonl &&
	jq -nc --arg b "$page" "{id: \"pdf\", body: \$b, content_type: \"application/pdf\"}" >>in.jsonl &&
	echo "{\"id\":\"short\",\"body\":\"<p>Too short.</p>\"}" >>in.jsonl &&
	echo "{\"id\":\"num\",\"body\":42}" >>in.jsonl &&
	echo "{\"id\":\"b64\",\"body_b64\":\"**not base64**\"}" >>in.jsonl &&
	jq -nc --arg b "$page" "{id: \"html\", body: \$b, content_type: \"text/html; charset=utf-8\"}" >>in.jsonl &&
	test_expect_code 1 df-extract --rejects rej.jsonl --stats st.json in.jsonl >out.jsonl 2>err &&
	jq -r .id out.jsonl >ids &&
	printf "%s\\n" ok html >expect &&
	test_cmp expect ids &&
	jq -r "[.id, ._reject.reason] | @tsv" rej.jsonl >actual &&
	printf "%s\\t%s\\n" nobody no-body pdf not-html short no-content num bad-field b64 bad-field >expect &&
	test_cmp expect actual &&
	grep -q "^df-extract: in.jsonl:5: field .\\.body. is not a string" err &&
	grep -q "^df-extract: in.jsonl:6: " err &&
	test_line_count 2 err &&
	jq -e ".in == 7 and .out == 2 and .errors == 2 and
	    .in == .out + ([.rejected[]] | add)" st.json
'

test_expect_success '--min-chars sets the no-content threshold' '
	echo "{\"id\":\"short\",\"body\":\"<p>Too short.</p>\"}" >in.jsonl &&
	df-extract --min-chars 10 in.jsonl | jq -r .text >actual &&
	echo "Too short." >expect &&
	test_cmp expect actual &&
	df-extract --min-chars 11 in.jsonl >out.jsonl &&
	test_must_be_empty out.jsonl &&
	test_expect_code 2 df-extract --min-chars -1 in.jsonl 2>err &&
	grep "^df-extract: --min-chars" err
'

test_expect_success '--html: files are records with their path' '
	printf "%s" "$page" >a.html &&
	printf "%s" "$page" | sed "s/Tides/Second/" >b.html &&
	df-extract --html a.html b.html >out.jsonl &&
	jq -c "[.path, .title, (.text == \"$text\")]" out.jsonl >actual &&
	printf "%s\\n" "[\"a.html\",\"Tides\",true]" "[\"b.html\",\"Second\",true]" >expect &&
	test_cmp expect actual
'

test_expect_success '--html: standard input, and a missing file is exit 2 with nothing out' '
	printf "%s" "$page" | df-extract --html | jq -r .path >actual &&
	echo - >expect &&
	test_cmp expect actual &&
	printf "%s" "$page" >a.html &&
	test_expect_code 2 df-extract --html a.html missing.html >out 2>err &&
	test_must_be_empty out &&
	grep "^df-extract: missing.html: No such file" err &&
	test_expect_code 2 df-extract --html --field .x a.html 2>err &&
	grep "^df-extract: --html" err
'

test_expect_success '--html: many operands, one record each, in order' '
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		printf "%s" "$page" | sed "s/Tides/T$i/" >p$i.html || return 1
	done &&
	df-extract --html -j 2 p1.html p2.html p3.html p4.html p5.html p6.html \
	    p7.html p8.html p9.html p10.html p11.html p12.html | jq -r .title >actual &&
	printf "T%s\\n" 1 2 3 4 5 6 7 8 9 10 11 12 >expect &&
	test_cmp expect actual
'

test_expect_success '-j 2 writes the same bytes as -j 1' '
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		jq -nc --arg b "$page" --arg i "$i" "{id: \$i, body: (\$b | sub(\"Tides\"; \"Tides \\(\$i)\"))}" || return 1
	done >in.jsonl &&
	df-extract -j 1 -f markdown in.jsonl >one &&
	df-extract -j 2 -f markdown in.jsonl >two &&
	test_line_count 20 one &&
	test_cmp one two
'

test_expect_success '--format and its errors' '
	echo "{\"id\":\"a\",\"body\":\"<h2>Head</h2><p>A paragraph long enough.</p>\"}" >in.jsonl &&
	df-extract -f md --min-chars 0 in.jsonl | jq -r .text >actual &&
	printf "%s\\n" "## Head" "" "A paragraph long enough." >expect &&
	test_cmp expect actual &&
	test_expect_code 2 df-extract --format html in.jsonl 2>err &&
	grep "^df-extract: --format is text or markdown" err
'

test_done
