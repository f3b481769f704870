#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-split annotates each record with its split: the name goes into one
# field, everything else stays byte for byte; --ratios and --seed choose.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# gen N: N records with unique ids.
gen () {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "{\"id\":\"doc-%d\",\"text\":\"text %d\"}\n", i, i
	}'
}

test_expect_success 'default ratios: about 90/5/5 train/val/test' '
	gen 4000 >in.jsonl &&
	test_expect_code 0 df-split in.jsonl >out 2>err &&
	test_must_be_empty err &&
	test_line_count 4000 out &&
	jq -r .split out | sort | uniq -c | awk "{ print \$2, \$1 }" >counts &&
	cut -d " " -f 1 counts >names &&
	printf "%s\\n" test train val >expect &&
	test_cmp expect names &&
	awk "\$1 == \"train\" && (\$2 < 3500 || \$2 > 3700) { exit 1 }
	    \$1 != \"train\" && (\$2 < 130 || \$2 > 270) { exit 1 }" counts
'

test_expect_success 'every input field is kept byte for byte' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"caf\u00e9 \"quoted\" \\ back","n":1.50}
	{"id" : "b",  "nested":{"x":[1, 2,{"y":null}]},"e":1E3}
	{"z":true,"id":"c","text":"\ud83d\ude00 emoji","empty":""}
	{"id":"d","text":"tab\there","f":false,"a":[]}
	{"id":"e","n":-0.0,"o":{}}
	IN
	df-split in.jsonl >out &&
	sed -E "s/,\"split\":\"(train|val|test)\"}\$/}/" out >stripped &&
	test_cmp in.jsonl stripped &&
	jq -c . out >/dev/null
'

test_expect_success 'an empty object gets just the split' '
	echo "{}" >in.jsonl &&
	df-split --ratios only=1 in.jsonl >out &&
	echo "{\"split\":\"only\"}" >expect &&
	test_cmp expect out
'

test_expect_success 'odd spacing still gives valid JSON' '
	cat >in.jsonl <<-\IN &&
	{ }
	{"a":1 }
	{ "a" : 2 }
	IN
	printf "%s  \\n" "{\"a\":3}" >>in.jsonl &&
	df-split --ratios s=1 in.jsonl >out &&
	jq -c . out >actual &&
	printf "%s\\n" "{\"split\":\"s\"}" "{\"a\":1,\"split\":\"s\"}" \
	    "{\"a\":2,\"split\":\"s\"}" "{\"a\":3,\"split\":\"s\"}" >expect &&
	test_cmp expect actual
'

test_expect_success 'an existing split field is replaced in place' '
	gen 200 | sed "s/,\"text\"/,\"split\":\"old\",\"text\"/" >in.jsonl &&
	gen 200 >plain.jsonl &&
	df-split in.jsonl >out &&
	df-split plain.jsonl >plain.out &&
	sed -E "s/\"split\":\"(train|val|test)\"/\"split\":\"old\"/" out >back &&
	test_cmp in.jsonl back &&
	jq -r .split out >s1 &&
	jq -r .split plain.out >s2 &&
	test_cmp s2 s1 &&
	! grep "\"split\".*\"split\"" out
'

test_expect_success '--field .meta.split writes a nested field' '
	printf "%s\\n" "{\"id\":\"a\",\"meta\":{\"src\":\"web\"}}" \
	    "{\"id\":\"b\"}" "{\"id\":\"c\",\"meta\":{}}" >in.jsonl &&
	gen 300 >>in.jsonl &&
	df-split in.jsonl >top &&
	test_expect_code 0 df-split --field .meta.split in.jsonl >out &&
	jq -r .split top >expect &&
	jq -r .meta.split out >actual &&
	test_cmp expect actual &&
	sed -n 1p out | jq -e ".meta.src == \"web\" and .id == \"a\"" &&
	jq -e "has(\"split\") | not" out >/dev/null &&
	jq -c "del(.meta.split) | if .meta == {} then del(.meta) else . end" \
	    out >fields &&
	jq -c "if .meta == {} then del(.meta) else . end" in.jsonl >expect &&
	test_cmp expect fields
'

test_expect_success '--field .fold names the field' '
	gen 50 >in.jsonl &&
	df-split in.jsonl | jq -r .split >expect &&
	df-split --field .fold in.jsonl >out &&
	jq -r .fold out >actual &&
	test_cmp expect actual &&
	jq -e "has(\"split\") | not" out >/dev/null
'

test_expect_success '--field through a non-object is a per-record error' '
	printf "%s\\n" "{\"id\":\"a\",\"meta\":3}" "{\"id\":\"b\"}" >in.jsonl &&
	test_expect_code 1 df-split --field .meta.split --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_line_count 1 out &&
	grep "^df-split: in.jsonl:1: " err &&
	jq -e "._reject.line == 1 and .meta == 3" rej.jsonl
'

test_expect_success '--ratios a=1,b=3: about 25/75 on 4000 records' '
	gen 4000 >in.jsonl &&
	df-split --ratios a=1,b=3 in.jsonl >out &&
	jq -r .split out | sort | uniq -c | awk "{ print \$2, \$1 }" >counts &&
	cut -d " " -f 1 counts >names &&
	printf "%s\\n" a b >expect &&
	test_cmp expect names &&
	awk "\$1 == \"a\" && (\$2 < 880 || \$2 > 1120) { exit 1 }" counts
'

test_expect_success '--ratios weights are normalised' '
	gen 1000 >in.jsonl &&
	df-split --ratios a=1,b=3 in.jsonl >expect &&
	df-split --ratios a=0.25,b=0.75 in.jsonl >out1 &&
	df-split --ratios a=25,b=75 in.jsonl >out2 &&
	test_cmp expect out1 &&
	test_cmp expect out2
'

test_expect_success '--ratios: a split of weight 0 gets nothing' '
	gen 1000 >in.jsonl &&
	df-split --ratios a=1,none=0,c=1 in.jsonl >out &&
	jq -r .split out | sort -u >names &&
	printf "%s\\n" a c >expect &&
	test_cmp expect names
'

test_expect_success '--ratios with many named splits' '
	gen 2000 >in.jsonl &&
	df-split --ratios s1=1,s2=1,s3=1,s4=1,s5=1,s6=1,s7=1,s8=1 in.jsonl >out &&
	jq -r .split out | sort | uniq -c >counts &&
	test_line_count 8 counts &&
	awk "\$1 < 150 || \$1 > 350 { exit 1 }" counts
'

test_expect_success '--seed changes the assignment, the same seed does not' '
	gen 1000 >in.jsonl &&
	df-split --ratios a=1,b=1 --seed 1 in.jsonl >s1 &&
	df-split --ratios a=1,b=1 --seed 1 in.jsonl >s1again &&
	test_cmp s1 s1again &&
	df-split --ratios a=1,b=1 --seed 2 in.jsonl >s2 &&
	jq -r .split s1 >c1 && jq -r .split s2 >c2 &&
	diff=$(paste c1 c2 | awk "\$1 != \$2" | wc -l) &&
	test "$diff" -gt 350 && test "$diff" -lt 650
'

test_expect_success '--seed 0 is the default; a big seed works' '
	gen 100 >in.jsonl &&
	df-split in.jsonl >expect &&
	df-split --seed 0 in.jsonl >out &&
	test_cmp expect out &&
	test_expect_code 0 df-split --seed 9007199254740991 in.jsonl >big &&
	test_line_count 100 big
'

test_expect_success 'the split does not depend on input order or neighbours' '
	gen 500 >in.jsonl &&
	df-split --ratios a=1,b=1,c=1 in.jsonl >fwd &&
	awk "{ l[NR] = \$0 } END { for (i = NR; i > 0; i--) print l[i] }" \
	    in.jsonl >rev.jsonl &&
	df-split --ratios a=1,b=1,c=1 rev.jsonl >rev &&
	sort fwd >a && sort rev >b &&
	test_cmp a b &&
	sed -n 250,260p in.jsonl >part.jsonl &&
	df-split --ratios a=1,b=1,c=1 part.jsonl >part &&
	sed -n 250,260p fwd >expect &&
	test_cmp expect part
'

test_done
