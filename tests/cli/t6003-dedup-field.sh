#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup --field: which text is compared; a record whose field is
# missing or not a string is an error (missing-field, exit 1) and the
# others go on.  --where limits deduplication to some records.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success '--field .body compares that field, not .text' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"same","body":"First body"}
	{"id":"b","text":"same","body":"second body"}
	{"id":"c","text":"other","body":"FIRST BODY!"}
	IN
	test_expect_code 0 df-dedup --field .body --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n "1p;2p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -e ".id == \"c\" and ._reject.dup_of == \"a\"" rej.jsonl &&
	df-dedup in.jsonl >out2 &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out2
'

test_expect_success '--field .doc.body reaches a nested field' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","doc":{"body":"Nested text here","lang":"en"}}
	{"id":"b","doc":{"lang":"en","body":"nested  text, here."}}
	{"id":"c","doc":{"body":"something else"}}
	IN
	df-dedup --field .doc.body --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -e ".id == \"b\" and ._reject.dup_of == \"a\"" rej.jsonl
'

test_expect_success 'a missing field is an error; the others go on (exit 1)' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"one"}
	{"id":"b","body":"one"}
	{"id":"c","text":"two"}
	IN
	test_expect_code 1 df-dedup --rejects rej.jsonl in.jsonl >out 2>err &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	echo "df-dedup: in.jsonl:2: field '\''.text'\'' is missing" >expect &&
	test_cmp expect err &&
	jq -r "[.id, ._reject.reason, ._reject.line] | @tsv" rej.jsonl \
	    >actual &&
	printf "b\\tmissing-field\\t2\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a field that is not a string is an error' '
	cat >in.jsonl <<-\IN &&
	{"id":"n","text":5}
	{"id":"z","text":null}
	{"id":"t","text":true}
	{"id":"a","text":["x"]}
	{"id":"o","text":{"x":"y"}}
	{"id":"s","text":"fine"}
	IN
	test_expect_code 1 df-dedup --rejects rej.jsonl --stats st.json \
	    in.jsonl >out 2>err &&
	sed -n 6p in.jsonl >expect &&
	test_cmp expect out &&
	test_line_count 5 err &&
	grep -c "field '\''.text'\'' is not a string\$" err >n &&
	echo 5 >expect &&
	test_cmp expect n &&
	jq -r "[.id, ._reject.reason] | @tsv" rej.jsonl >actual &&
	printf "%s\\tmissing-field\\n" n z t a o >expect &&
	test_cmp expect actual &&
	jq -e ".in == 6 and .out == 1 and .errors == 5 and
	    .rejected == {\"missing-field\": 5}" st.json
'

test_expect_success 'a record with no text is not indexed' '
	cat >in.jsonl <<-\IN &&
	{"id":"a"}
	{"id":"b","text":"hello"}
	{"id":"c","text":"Hello."}
	IN
	test_expect_code 1 df-dedup --rejects rej.jsonl in.jsonl >out 2>err &&
	sed -n 2p in.jsonl >expect &&
	test_cmp expect out &&
	jq -e -s "map(._reject.dup_of) == [null, \"b\"]" rej.jsonl
'

test_expect_success '--strict stops at the first bad record' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"one"}
	{"id":"b","text":"ONE"}
	{"id":"c","text":7}
	{"id":"d","text":"two"}
	IN
	test_expect_code 1 df-dedup --strict in.jsonl >out 2>err &&
	grep "^df-dedup: in.jsonl:3: " err &&
	! grep "\"id\":\"d\"" out
'

test_expect_success 'the field may hold escapes and non-ASCII text' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"Line one\nline \"two\"\t\u00e9t\u00e9"}
	{"id":"b","text":"LINE ONE LINE TWO ÉTÉ"}
	{"id":"c","text":"\ud83d\ude00 emoji"}
	{"id":"d","text":"EMOJI"}
	IN
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "b\\ta\\nd\\tc\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a bad --field or --id path is a usage error' '
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-dedup --field "" in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep -e "--field" err &&
	test_expect_code 2 df-dedup --id "no dot" in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep -e "--id" err
'

test_expect_success '--where: other records pass through, not deduplicated' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","lang":"en","text":"hello world"}
	{"id":"b","lang":"fr","text":"Hello world"}
	{"id":"c","lang":"en","text":"HELLO WORLD"}
	{"id":"d","lang":"fr","text":"hello world!"}
	{"id":"e","lang":"en","text":"goodbye"}
	IN
	test_expect_code 0 df-dedup --where ".lang == \"en\"" \
	    --rejects rej.jsonl --stats st.json in.jsonl >out &&
	jq -r .id rej.jsonl >actual &&
	echo c >expect &&
	test_cmp expect actual &&
	jq -e ".in == 5 and .out == 4 and .passed == 2 and .kept == 2" \
	    st.json &&
	jq -r .id out | sort >ids &&
	printf "%s\\n" a b d e >expect &&
	test_cmp expect ids
'

# Records --where passes through are written by the worker, the others
# by the ordered phase: both must come out in input order.
test_expect_success '--where: the output keeps the input order' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","lang":"en","text":"hello world"}
	{"id":"b","lang":"fr","text":"Hello world"}
	{"id":"c","lang":"en","text":"HELLO WORLD"}
	{"id":"d","lang":"fr","text":"hello world!"}
	{"id":"e","lang":"en","text":"goodbye"}
	IN
	df-dedup --where ".lang == \"en\"" in.jsonl >out &&
	sed -n "1p;2p;4p;5p" in.jsonl >expect &&
	test_cmp expect out
'

# Errors are rejected by the worker, duplicates by the ordered phase:
# --rejects must still follow the input order.
test_expect_success '--rejects keeps the input order' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"x"}
	{"id":"b","text":"X"}
	{"id":"c"}
	{"id":"d","text":"x!"}
	IN
	test_expect_code 1 df-dedup --rejects rej.jsonl in.jsonl >out 2>err &&
	jq -r ._reject.line rej.jsonl >actual &&
	printf "%s\\n" 2 3 4 >expect &&
	test_cmp expect actual
'

test_done
