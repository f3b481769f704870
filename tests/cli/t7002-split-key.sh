#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-split's group key: every record of a group lands in one split.  The
# key is .id, --key EXPR (a path or any jq expression), or, without an id,
# the whole record less the split field.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# one_split_per KEY FILE: no value of the jq KEY is in two splits of FILE,
# and FILE uses more than one split (so the check means something).
one_split_per () {
	jq -r "[($1 | tostring), .split] | @tsv" "$2" | sort -u >pairs &&
	cut -f 1 pairs | uniq -d >shared &&
	test_must_be_empty shared &&
	test "$(cut -f 2 pairs | sort -u | wc -l)" -gt 1
}

test_expect_success 'records with the same id get the same split' '
	awk "BEGIN { for (i = 0; i < 2000; i++)
	    printf \"{\\\"id\\\":\\\"g%d\\\",\\\"text\\\":\\\"part %d\\\"}\\n\",
	    i % 200, i }" >in.jsonl &&
	test_expect_code 0 df-split --ratios a=1,b=1,c=1 in.jsonl >out &&
	one_split_per .id out
'

test_expect_success 'a numeric id is a key as well' '
	awk "BEGIN { for (i = 0; i < 600; i++)
	    printf \"{\\\"id\\\":%d,\\\"n\\\":%d}\\n\", i % 60, i }" >in.jsonl &&
	df-split --ratios a=1,b=1 in.jsonl >out &&
	one_split_per .id out
'

test_expect_success '--key .source: every record of a source in one split' '
	awk "BEGIN { for (i = 0; i < 1500; i++)
	    printf \"{\\\"id\\\":\\\"d%d\\\",\\\"source\\\":\\\"site%d\\\"}\\n\",
	    i, i % 40 }" >in.jsonl &&
	test_expect_code 0 df-split --key .source --ratios a=1,b=1 in.jsonl >out &&
	one_split_per .source out
'

test_expect_success '--key with a jq expression: .url | split("/")[2]' '
	awk "BEGIN { for (i = 0; i < 1000; i++)
	    printf \"{\\\"id\\\":\\\"d%d\\\",\\\"url\\\":\\\"https://h%d.example/p/%d\\\"}\\n\",
	    i, i % 30, i }" >in.jsonl &&
	test_expect_code 0 df-split --key ".url | split(\"/\")[2]" \
	    --ratios a=1,b=1 in.jsonl >out &&
	one_split_per ".url | split(\"/\")[2]" out
'

test_expect_success '--key as a path and as an expression agree' '
	awk "BEGIN { for (i = 0; i < 300; i++)
	    printf \"{\\\"id\\\":\\\"d%d\\\",\\\"src\\\":\\\"s%d\\\"}\\n\",
	    i, i % 17 }" >in.jsonl &&
	df-split --key .src --ratios a=1,b=1 in.jsonl >path &&
	df-split --key "(.src)" --ratios a=1,b=1 in.jsonl >expr &&
	test_cmp path expr
'

test_expect_success '--key .id gives the same splits as the default' '
	awk "BEGIN { for (i = 0; i < 300; i++)
	    printf \"{\\\"id\\\":\\\"d%d\\\"}\\n\", i }" >in.jsonl &&
	df-split --ratios a=1,b=1 in.jsonl >default &&
	df-split --key .id --ratios a=1,b=1 in.jsonl >explicit &&
	test_cmp default explicit
'

test_expect_success 'a missing --key is rejected as missing-key, exit 1' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","source":"x"}
	{"id":"b","text":"no source here"}
	{"id":"c","source":null}
	{"id":"d","source":"y"}
	IN
	test_expect_code 1 df-split --key .source --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	jq -r .id out >ids &&
	printf "%s\\n" a d >expect &&
	test_cmp expect ids &&
	test_line_count 2 err &&
	grep "^df-split: in.jsonl:2: " err &&
	grep "^df-split: in.jsonl:3: " err &&
	jq -r "[._reject.reason, ._reject.file, ._reject.line, .id] | @tsv" \
	    rej.jsonl >actual &&
	printf "missing-key\\tin.jsonl\\t2\\tb\\nmissing-key\\tin.jsonl\\t3\\tc\\n" \
	    >expect &&
	test_cmp expect actual
'

test_expect_success 'a rejected record keeps its fields, _reject added' '
	printf "%s\\n" "{\"id\":\"b\",\"text\":\"x\",\"n\":[1,2]}" >in.jsonl &&
	test_expect_code 1 df-split --key .source --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_must_be_empty out &&
	jq -c "del(._reject)" rej.jsonl >actual &&
	jq -c . in.jsonl >expect &&
	test_cmp expect actual &&
	jq -e "._reject.program == \"df-split\"" rej.jsonl
'

test_expect_success 'a --key expression giving null is missing-key' '
	printf "%s\\n" "{\"id\":\"a\",\"src\":\"x\"}" "{\"id\":\"b\"}" >in.jsonl &&
	test_expect_code 1 df-split --key "(.src)" --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_line_count 1 out &&
	jq -e "._reject.reason == \"missing-key\" and .id == \"b\"" rej.jsonl &&
	grep "^df-split: in.jsonl:2: " err
'

test_expect_success 'a --key expression that fails rejects the record only' '
	printf "%s\\n" "{\"id\":\"a\",\"url\":\"https://h/x\"}" \
	    "{\"id\":\"b\"}" "{\"id\":\"c\",\"url\":7}" \
	    "{\"id\":\"d\",\"url\":\"https://h/y\"}" >in.jsonl &&
	test_expect_code 1 df-split --key ".url | split(\"/\")[2]" \
	    --rejects rej.jsonl --stats st.json in.jsonl >out 2>err &&
	jq -r .id out >ids &&
	printf "a\\nd\\n" >expect &&
	test_cmp expect ids &&
	jq -r "[.id, ._reject.line, (._reject.reason | length > 0)] | @tsv" \
	    rej.jsonl >actual &&
	printf "b\\t2\\ttrue\\nc\\t3\\ttrue\\n" >expect &&
	test_cmp expect actual &&
	grep "^df-split: in.jsonl:2: .*--key" err &&
	jq -e ".in == 4 and .out == 2 and ([.rejected[]] | add) == 2" st.json
'

test_expect_success 'a missing key with --strict stops there' '
	printf "%s\\n" "{\"s\":\"a\"}" "{\"t\":1}" "{\"s\":\"b\"}" >in.jsonl &&
	test_expect_code 1 df-split --strict --key .s in.jsonl >out 2>err &&
	test_line_count 1 out &&
	grep "^df-split: in.jsonl:2: " err
'

test_expect_success 'no id: the whole record is the key, deterministically' '
	awk "BEGIN { for (i = 0; i < 400; i++)
	    printf \"{\\\"text\\\":\\\"t%d\\\",\\\"n\\\":%d}\\n\", i % 100, i % 100 }" \
	    >in.jsonl &&
	df-split --ratios a=1,b=1 in.jsonl >out1 &&
	df-split --ratios a=1,b=1 in.jsonl >out2 &&
	test_cmp out1 out2 &&
	one_split_per .text out1
'

test_expect_success 'no id: the split field is not part of the key' '
	awk "BEGIN { for (i = 0; i < 300; i++)
	    printf \"{\\\"text\\\":\\\"t%d\\\"}\\n\", i }" >in.jsonl &&
	df-split --ratios a=1,b=1 in.jsonl >once &&
	test_expect_code 0 df-split --ratios a=1,b=1 once >twice &&
	test_cmp once twice &&
	sed "s/\"split\":\"[ab]\"/\"split\":\"zzz\"/" once >planted &&
	df-split --ratios a=1,b=1 planted >again &&
	test_cmp once again
'

test_expect_success 'no id: rerunning with --field .meta.split is stable' '
	awk "BEGIN { for (i = 0; i < 300; i++)
	    printf \"{\\\"text\\\":\\\"t%d\\\",\\\"meta\\\":{\\\"m\\\":1}}\\n\", i }" \
	    >in.jsonl &&
	df-split --field .meta.split --ratios a=1,b=1 in.jsonl >once &&
	df-split --field .meta.split --ratios a=1,b=1 once >twice &&
	test_cmp once twice
'

test_expect_success 'no id: --field .fold is left out of the key' '
	awk "BEGIN { for (i = 0; i < 300; i++)
	    printf \"{\\\"text\\\":\\\"t%d\\\"}\\n\", i }" >in.jsonl &&
	df-split --field .fold --ratios a=1,b=1 in.jsonl >once &&
	df-split --field .fold --ratios a=1,b=1 once >twice &&
	test_cmp once twice
'

test_expect_success 'the same key gives the same split in both modes' '
	awk "BEGIN { for (i = 0; i < 300; i++)
	    printf \"{\\\"id\\\":\\\"d%d\\\"}\\n\", i }" >in.jsonl &&
	df-split --ratios a=1,b=1,c=1 in.jsonl >annotated &&
	df-split --ratios a=1,b=1,c=1 --out-dir dir in.jsonl &&
	for s in a b c; do
		sed -n "s/,\"split\":\"$s\"}\$/}/p" annotated >expect.$s &&
		test_cmp expect.$s dir/$s.jsonl || return 1
	done
'

test_expect_success 'no id, nested --field through a non-object: rejected, not a crash' '
	printf "%s\n" "{\"meta\":5}" "{\"meta\":{}}" >in.jsonl &&
	test_expect_code 1 df-split --field .meta.split --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_line_count 1 out &&
	jq -r "._reject.reason" rej.jsonl >reasons &&
	echo bad-field >expect &&
	test_cmp expect reasons &&
	grep -q "in.jsonl:1: cannot set" err
'

test_done
