#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk --count: token counts exactly as tiktoken's encode_ordinary
# gives them (the reference's counts ship with the dev subset), for
# cl100k_base and o200k_base; records without a text are rejected.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
DEV=$SRC_DIR/tests/unit/data/tok-dev.jsonl
export DF_DATADIR DEV

test_expect_success 'cl100k_base (the default): every count is the reference'"'"'s' '
	jq -c "select(.text != \"\") | {id, text, want: .cl100k}" "$DEV" >in.jsonl &&
	test_line_count 85 in.jsonl &&
	df-chunk --count in.jsonl >out 2>err &&
	test_must_be_empty err &&
	jq -r "select(.tokens != .want) | .id" out >wrong &&
	test_must_be_empty wrong &&
	test_line_count 85 out
'

test_expect_success 'o200k_base: every count is the reference'"'"'s' '
	jq -c "select(.text != \"\") | {id, text, want: .o200k}" "$DEV" >in.jsonl &&
	df-chunk --count --tokenizer o200k_base in.jsonl >out 2>err &&
	test_must_be_empty err &&
	jq -r "select(.tokens != .want) | .id" out >wrong &&
	test_must_be_empty wrong &&
	test_line_count 85 out
'

test_expect_success '--count keeps the record byte for byte, adds one field' '
	cat >in.jsonl <<-\IN &&
	{"id":1,"text":"Hello world","n":1.50,"o":{"x":[1, 2]}}
	{"text":"\u00e9t\u00e9 \ud83d\ude00","id":"b"}
	IN
	df-chunk --count in.jsonl >out &&
	cat >expect <<-\OUT &&
	{"id":1,"text":"Hello world","n":1.50,"o":{"x":[1, 2]},"tokens":2}
	{"text":"\u00e9t\u00e9 \ud83d\ude00","id":"b","tokens":2}
	OUT
	test_cmp expect out
'

test_expect_success '--count-field and --field name other places' '
	echo "{\"a\":{\"t\":\"one two three\"}}" >in.jsonl &&
	df-chunk --count --field .a.t --count-field .meta.n in.jsonl >out &&
	echo "{\"a\":{\"t\":\"one two three\"},\"meta\":{\"n\":3}}" >expect &&
	test_cmp expect out
'

test_expect_success 'special tokens are ordinary text; NUL is counted' '
	printf "%s\\n" "{\"text\":\"<|endoftext|>\"}" \
	    "{\"text\":\"a\\u0000b\"}" >in.jsonl &&
	df-chunk --count in.jsonl | jq -c .tokens >out &&
	printf "7\\n3\\n" >expect &&
	test_cmp expect out
'

test_expect_success 'missing, empty and non-string texts are rejected with a reason' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"fine"}
	{"id":"b"}
	{"id":"c","text":""}
	{"id":"d","text":42}
	{"id":"e","text":null}
	IN
	test_expect_code 1 df-chunk --count --rejects rej.jsonl \
	    --stats st.json in.jsonl >out 2>err &&
	test_line_count 1 out &&
	jq -r "._reject.reason" rej.jsonl >reasons &&
	printf "%s\\n" missing-field empty-text not-a-string missing-field >expect &&
	test_cmp expect reasons &&
	grep "in.jsonl:3: field .\\.text. is empty" err &&
	jq -e ".in == 5 and .out == 1 and .tokens == 1" st.json
'

test_expect_success 'the same without --count: a record with no text is no chunk' '
	printf "%s\\n" "{\"id\":\"b\"}" "{\"id\":\"c\",\"text\":\"\"}" >in.jsonl &&
	test_expect_code 1 df-chunk --rejects rej.jsonl in.jsonl >out 2>err &&
	test_must_be_empty out &&
	test_line_count 2 rej.jsonl
'

test_expect_success 'chars and words count code points and ICU words' '
	echo "{\"text\":\"Caf\\u00e9, 42 \\ud83d\\ude00 fin.\"}" >in.jsonl &&
	df-chunk --count --tokenizer chars in.jsonl | jq .tokens >c &&
	df-chunk --count --tokenizer words in.jsonl | jq .tokens >w &&
	echo 15 >expect && test_cmp expect c &&
	echo 3 >expect && test_cmp expect w
'

test_done
