#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup and near duplicates: a long text with a sentence changed, a
# line of boilerplate added or a sentence dropped is a near duplicate of
# the first; clearly different texts are kept.  --threshold sets how near,
# --no-verify takes any LSH candidate.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# record ID: one record of the words on stdin, in sentences of 12 words.
record () {
	awk -v id="$1" '{ w[NR] = $0 } END {
		t = ""
		for (i = 1; i <= NR; i++) {
			s = w[i]
			if (i % 12 == 1)
				s = toupper(substr(s, 1, 1)) substr(s, 2)
			if (i % 12 == 0 || i == NR)
				s = s "."
			t = t (i > 1 ? " " : "") s
		}
		printf "{\"id\":\"%s\",\"text\":\"%s\"}\n", id, t
	}'
}

# change FROM TO: words FROM..TO of stdin become other words.
change () {
	awk -v a="$1" -v b="$2" 'NR >= a && NR <= b { $0 = $0 "x" } 1'
}

# drop FROM TO: words FROM..TO of stdin go.
drop () {
	awk -v a="$1" -v b="$2" 'NR < a || NR > b'
}

# boilerplate: a footer line of words.
boilerplate () {
	printf "%s\n" Copyright 2024 Example Corp. All rights reserved.
}

test_expect_success 'a changed sentence or boilerplate: a near duplicate' '
	{
		words 1 300 | record a &&
		words 2 300 | record b &&
		words 1 300 | change 100 111 | record c &&
		{ words 1 300 && boilerplate; } | record d &&
		words 3 300 | record e &&
		{ boilerplate && words 2 300; } | record f
	} >in.jsonl &&
	test_expect_code 0 df-dedup --rejects rej.jsonl in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n "1p;2p;5p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.reason, ._reject.dup_of, ._reject.rule] | @tsv" \
	    rej.jsonl >actual &&
	printf "%s\\t%s\\t%s\\t%s\\n" c near-duplicate a near \
	    d near-duplicate a near f near-duplicate b near >expect &&
	test_cmp expect actual &&
	jq -e -s "all(._reject.similarity >= 0.8 and
	    ._reject.similarity < 1)" rej.jsonl &&
	jq -e -s "map(select(.id != \"c\") | ._reject.similarity >= 0.9) |
	    length == 2 and all" rej.jsonl
'

test_expect_success 'the rejected record is the input record, _reject added' '
	{
		words 4 300 | record a &&
		words 4 300 | drop 50 61 | record b
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n 1p in.jsonl >expect &&
	test_cmp expect out &&
	jq -c "del(._reject)" rej.jsonl >actual &&
	sed -n 2p in.jsonl >expect &&
	test_cmp expect actual &&
	jq -e "._reject.line == 2 and ._reject.file == \"in.jsonl\" and
	    ._reject.reason == \"near-duplicate\"" rej.jsonl
'

test_expect_success 'different texts are all kept' '
	for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		words "$s" 300 | record "t$s" || exit 1
	done >in.jsonl &&
	test_expect_code 0 df-dedup --rejects rej.jsonl in.jsonl >out &&
	test_cmp in.jsonl out &&
	test_must_be_empty rej.jsonl
'

test_expect_success 'texts sharing a passage but different overall are kept' '
	{
		words 5 150 | record a &&
		{ words 5 150 && words 6 150; } | record b &&
		{ words 7 150 && words 5 150; } | record c
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	test_cmp in.jsonl out
'

test_expect_success 'many variants among many texts: each names its original' '
	for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		words "$s" 300 | record "o$s" || exit 1
	done >orig.jsonl &&
	for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		case $((s % 4)) in
		0) words "$s" 300 | change $((s * 10)) $((s * 10 + 11)) ;;
		1) { words "$s" 300 && boilerplate; } ;;
		2) words "$s" 300 | drop $((s * 12)) $((s * 12 + 11)) ;;
		3) { boilerplate && words "$s" 300 | change 1 6; } ;;
		esac | record "v$s" || exit 1
	done >var.jsonl &&
	paste -d "\\n" orig.jsonl var.jsonl >in.jsonl &&
	df-dedup --rejects rej.jsonl --stats st.json in.jsonl >out &&
	test_cmp orig.jsonl out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		printf "v%d\\to%d\\n" "$s" "$s"
	done >expect &&
	test_cmp expect actual &&
	jq -e ".kept == 20 and .near_duplicates == 20 and
	    .exact_duplicates == 0" st.json
'

test_expect_success 'an exact copy is reported as exact, not near' '
	{
		words 8 300 | record a &&
		words 8 300 | change 30 41 | record b &&
		words 8 300 | record c
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	jq -r "[.id, ._reject.reason, ._reject.rule] | @tsv" rej.jsonl \
	    >actual &&
	printf "b\\tnear-duplicate\\tnear\\nc\\texact-duplicate\\texact\\n" \
	    >expect &&
	test_cmp expect actual
'

test_expect_success '--threshold 0.95 keeps a pair that 0.8 drops' '
	{
		words 9 300 | record a &&
		words 9 300 | change 120 135 | record b
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	test_line_count 1 out &&
	jq -e "._reject.similarity > 0.8 and ._reject.similarity < 0.95" \
	    rej.jsonl &&
	test_expect_code 0 df-dedup --threshold 0.95 --rejects rej95.jsonl \
	    in.jsonl >out95 &&
	test_cmp in.jsonl out95 &&
	test_must_be_empty rej95.jsonl &&
	df-dedup --threshold 0.8 in.jsonl >out80 &&
	test_cmp out out80
'

test_expect_success '--threshold: the reported similarity is at least it' '
	{
		words 10 300 | record a &&
		words 10 300 | change 200 211 | record b &&
		{ words 10 300 && boilerplate; } | record c
	} >in.jsonl &&
	for t in 0.5 0.7 0.85 0.9 0.95 0.99 1; do
		df-dedup --threshold "$t" --rejects "rej$t" in.jsonl \
		    >"out$t" || exit 1
		if [ -s "rej$t" ]; then
			jq -e -s --argjson t "$t" \
			    "all(._reject.similarity >= \$t)" "rej$t" \
			    >/dev/null || exit 1
		fi
	done &&
	test_line_count 2 rej0.5 &&
	test_line_count 1 rej0.95 &&
	jq -e ".id == \"c\"" rej0.95 &&
	test_must_be_empty rej1
'

test_expect_success '--threshold 1 still drops exact duplicates' '
	{
		words 11 300 | record a &&
		words 11 300 | record b | jq -c ".text |= ascii_upcase"
	} >in.jsonl &&
	df-dedup --threshold 1 --rejects rej.jsonl in.jsonl >out &&
	sed -n 1p in.jsonl >expect &&
	test_cmp expect out &&
	jq -e "._reject.reason == \"exact-duplicate\"" rej.jsonl
'

test_expect_success '--no-verify drops candidates without a similarity' '
	{
		words 12 300 | record a &&
		words 12 300 | change 100 111 | record b &&
		words 13 300 | record c &&
		words 12 300 | record d
	} >in.jsonl &&
	test_expect_code 0 df-dedup --no-verify --rejects rej.jsonl \
	    in.jsonl >out &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.reason, ._reject.dup_of, ._reject.rule] | @tsv" \
	    rej.jsonl >actual &&
	printf "%s\\t%s\\t%s\\t%s\\n" b near-duplicate a near \
	    d exact-duplicate a exact >expect &&
	test_cmp expect actual &&
	jq -c "._reject | has(\"similarity\")" rej.jsonl >actual &&
	printf "false\\ntrue\\n" >expect &&
	test_cmp expect actual &&
	df-dedup --no-verify --stats st.json in.jsonl >/dev/null &&
	jq -e ".verify == false" st.json
'

test_expect_success '--bands and --rows choose the LSH shape' '
	{
		words 14 300 | record a &&
		words 14 300 | change 10 21 | record b &&
		words 15 300 | record c
	} >in.jsonl &&
	df-dedup --stats st.json in.jsonl >expect &&
	jq -e ".bands == 18 and .rows == 8 and .threshold == 0.8" st.json &&
	df-dedup --bands 20 --rows 5 --stats st.json in.jsonl >out &&
	test_cmp expect out &&
	jq -e ".bands == 20 and .rows == 5" st.json &&
	df-dedup --bands 32 --rows 8 in.jsonl >out &&
	test_cmp expect out &&
	df-dedup --bands 1 --rows 256 in.jsonl >out1 &&
	test_line_count 3 out1 &&
	df-dedup --threshold 0.5 --stats st.json in.jsonl >out &&
	jq -e ".bands * .rows <= 256 and .bands <= 20" st.json
'

test_expect_success '--ngram and --seed: near duplicates are still found' '
	{
		words 16 300 | record a &&
		words 16 300 | change 150 161 | record b &&
		words 17 300 | record c
	} >in.jsonl &&
	sed -n "1p;3p" in.jsonl >expect &&
	for opt in "--ngram 3" "--ngram 8" "--seed 1" "--seed 123456789"; do
		# shellcheck disable=SC2086 # two words
		df-dedup $opt in.jsonl >out && test_cmp expect out || exit 1
	done
'

test_done
