#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk's chunk records: the parent's other fields are copied in order,
# text and id are replaced in place, and parent_id, chunk_index,
# chunk_count, tokens, char_start and char_end are added; ids are stable;
# -j N gives the same bytes as -j 1.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

test_expect_success 'fields: copied, replaced in place, added at the end' '
	echo "{\"src\":\"web\",\"id\":\"p1\",\"text\":\"One two three. Four five six.\",\"n\":1.50}" >in.jsonl &&
	df-chunk --strategy sentence --max-tokens 5 in.jsonl >out &&
	cat >expect <<-\OUT &&
	{"src":"web","id":"p1#0","text":"One two three. ","n":1.50,"parent_id":"p1","chunk_index":0,"chunk_count":2,"tokens":5,"char_start":0,"char_end":15}
	{"src":"web","id":"p1#1","text":"Four five six.","n":1.50,"parent_id":"p1","chunk_index":1,"chunk_count":2,"tokens":4,"char_start":15,"char_end":29}
	OUT
	test_cmp expect out
'

test_expect_success 'a numeric id is kept as the parent id; no id: a hash of the text' '
	printf "%s\\n" "{\"id\":42,\"text\":\"a b\"}" "{\"text\":\"a b\"}" "{\"text\":\"a b\"}" >in.jsonl &&
	df-chunk in.jsonl | jq -c "[.id, .parent_id]" >out &&
	head -n 1 out >first &&
	echo "[\"42#0\",42]" >expect &&
	test_cmp expect first &&
	sed -n 2p out >second && sed -n 3p out >third &&
	test_cmp second third &&
	grep -E "^\\[\"[0-9a-f]{16}#0\",\"[0-9a-f]{16}\"\\]$" second
'

test_expect_success 'a nested --field is read and written in place' '
	echo "{\"id\":\"x\",\"doc\":{\"body\":\"One two three. Four five six.\",\"lang\":\"en\"}}" >in.jsonl &&
	df-chunk --field .doc.body --strategy sentence --max-tokens 5 in.jsonl >out &&
	jq -c "[.id, .doc.body, .doc.lang, .tokens]" out >got &&
	printf "%s\\n" "[\"x#0\",\"One two three. \",\"en\",5]" "[\"x#1\",\"Four five six.\",\"en\",4]" >expect &&
	test_cmp expect got
'

test_expect_success '-j 1/2/3: the same chunks byte for byte' '
	for i in $(seq 1 60); do
		words "$i" 400 | record "d$i"
	done >in.jsonl &&
	for j in 1 2 3; do
		df-chunk -j $j --max-tokens 50 --overlap 10 --stats st$j.json in.jsonl >out$j || return 1
	done &&
	test_cmp out1 out2 &&
	test_cmp out1 out3 &&
	test "$(wc -l <out1)" -gt 300 &&
	jq -c "[.in, .out, .chunks, .tokens]" st1.json st2.json st3.json | sort -u >c &&
	test_line_count 1 c
'

test_expect_success '--where: other records pass through unchunked' '
	printf "%s\\n" "{\"id\":\"a\",\"k\":1,\"text\":\"one two three four\"}" \
	    "{\"id\":\"b\",\"k\":2,\"text\":\"one two three four\"}" >in.jsonl &&
	df-chunk --where ".k == 1" --max-tokens 2 in.jsonl >out &&
	jq -r .id out >ids &&
	printf "a#0\\na#1\\na#2\\nb\\n" >expect &&
	test_cmp expect ids
'

test_done
