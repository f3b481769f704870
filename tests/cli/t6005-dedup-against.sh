#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup --against REF: REF's records count as already kept.  Records
# that duplicate one of them are dropped naming it; REF's own records are
# never output, and --stats counts them apart as "reference".
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success '--against: duplicates of the reference are dropped' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"alpha beta\"}" \
	    "{\"id\":\"r2\",\"text\":\"gamma\"}" >ref.jsonl &&
	words 1 300 | record r3 >>ref.jsonl &&
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"ALPHA, beta\"}" \
	    "{\"id\":\"b\",\"text\":\"delta\"}" >in.jsonl &&
	words 1 300 | awk "NR == 77 { \$0 = \"other\" } 1" | record c \
	    >>in.jsonl &&
	printf "%s\\n" "{\"id\":\"d\",\"text\":\"Delta.\"}" \
	    "{\"id\":\"e\",\"text\":\"epsilon\"}" >>in.jsonl &&
	test_expect_code 0 df-dedup --against ref.jsonl --rejects rej.jsonl \
	    --stats st.json in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n "2p;5p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.reason, ._reject.dup_of, ._reject.file] | @tsv" \
	    rej.jsonl >actual &&
	printf "%s\\t%s\\t%s\\t%s\\n" a exact-duplicate r1 in.jsonl \
	    c near-duplicate r3 in.jsonl d exact-duplicate b in.jsonl >expect &&
	test_cmp expect actual &&
	jq -e ".reference == 3 and .reference_kept == 3 and .in == 5 and
	    .out == 2 and .kept == 2 and .exact_duplicates == 2 and
	    .near_duplicates == 1 and .errors == 0" st.json &&
	jq -e ".in == .out + ([.rejected[]] | add)" st.json
'

test_expect_success '--against: reference records are never output' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"one\"}" \
	    "{\"id\":\"r2\",\"text\":\"two\"}" >ref.jsonl &&
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"three\"}" >in.jsonl &&
	df-dedup --against ref.jsonl --rejects rej.jsonl in.jsonl >out &&
	test_cmp in.jsonl out &&
	test_must_be_empty rej.jsonl &&
	df-dedup --against ref.jsonl --annotate in.jsonl >out &&
	test_line_count 1 out &&
	jq -e ".id == \"a\" and .dup_cluster == \"a\"" out
'

test_expect_success '--against with an empty input: no output, no rejects' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"one\"}" >ref.jsonl &&
	: >in.jsonl &&
	test_expect_code 0 df-dedup --against ref.jsonl --rejects rej.jsonl \
	    --stats st.json in.jsonl >out &&
	test_must_be_empty out &&
	test_must_be_empty rej.jsonl &&
	jq -e ".in == 0 and .out == 0 and .reference == 1" st.json
'

test_expect_success '--against: duplicates within the reference are silent' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"one\"}" \
	    "{\"id\":\"r2\",\"text\":\"ONE\"}" \
	    "{\"id\":\"r3\",\"text\":\"two\"}" >ref.jsonl &&
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"One!\"}" >in.jsonl &&
	df-dedup --against ref.jsonl --rejects rej.jsonl --stats st.json \
	    in.jsonl >out &&
	test_must_be_empty out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "a\\tr1\\n" >expect &&
	test_cmp expect actual &&
	jq -e ".reference == 3 and .reference_kept == 2 and .in == 1" st.json
'

test_expect_success '--against twice: both references count' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"one\"}" >ref1.jsonl &&
	printf "%s\\n" "{\"id\":\"r2\",\"text\":\"two\"}" >ref2.jsonl &&
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"Two\"}" \
	    "{\"id\":\"b\",\"text\":\"One\"}" \
	    "{\"id\":\"c\",\"text\":\"three\"}" >in.jsonl &&
	df-dedup --against ref1.jsonl --against ref2.jsonl \
	    --rejects rej.jsonl --stats st.json in.jsonl >out &&
	sed -n 3p in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "a\\tr2\\nb\\tr1\\n" >expect &&
	test_cmp expect actual &&
	jq -e ".reference == 2" st.json
'

test_expect_success '--against: the reference id follows --id, or FILE:LINE' '
	printf "%s\\n" "{\"key\":\"K1\",\"text\":\"one\"}" \
	    "{\"text\":\"two\"}" >ref.jsonl &&
	printf "%s\\n" "{\"key\":\"a\",\"text\":\"ONE\"}" \
	    "{\"key\":\"b\",\"text\":\"TWO\"}" >in.jsonl &&
	df-dedup --against ref.jsonl --id .key --rejects rej.jsonl \
	    in.jsonl >out &&
	test_must_be_empty out &&
	jq -r ._reject.dup_of rej.jsonl >actual &&
	printf "K1\\nref.jsonl:2\\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--against: -j 2 gives the same output and rejects' '
	for s in 1 2 3 4 5 6 7 8 9 10; do
		words "$s" 100 | record "r$s" || exit 1
	done >ref.jsonl &&
	for s in 5 6 7 8 9 10 11 12 13 14 15; do
		words "$s" 100 | awk "NR == 50 { \$0 = \"new\" } 1" |
		    record "n$s" || exit 1
	done >in.jsonl &&
	df-dedup --against ref.jsonl --rejects rej1 in.jsonl >out1 &&
	df-dedup -j 2 --against ref.jsonl --rejects rej2 in.jsonl >out2 &&
	test_cmp out1 out2 &&
	test_cmp rej1 rej2 &&
	jq -r .id out1 >ids &&
	printf "n%d\\n" 11 12 13 14 15 >expect &&
	test_cmp expect ids
'

test_expect_success '--against a missing file: exit 2, nothing written' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"one\"}" >in.jsonl &&
	test_expect_code 2 df-dedup --against nope.jsonl --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep "nope.jsonl" err &&
	test_path_is_missing rej.jsonl
'

test_expect_success '--against: a bad reference line is reported where it is' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"one\"}" "garbage" \
	    "{\"id\":\"r2\"}" >ref.jsonl &&
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"one\"}" \
	    "{\"id\":\"b\",\"text\":\"two\"}" >in.jsonl &&
	test_expect_code 1 df-dedup --against ref.jsonl --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	sed -n 2p in.jsonl >expect &&
	test_cmp expect out &&
	grep "^df-dedup: ref.jsonl:2: " err &&
	grep "^df-dedup: ref.jsonl:3: " err &&
	jq -r "[._reject.file, ._reject.line, ._reject.reason] | @tsv" \
	    rej.jsonl >actual &&
	printf "%s\\t%s\\t%s\\n" ref.jsonl 2 invalid-json \
	    ref.jsonl 3 missing-field in.jsonl 1 exact-duplicate >expect &&
	test_cmp expect actual
'

# A bad reference line is an error, but not one of the "in" records: the
# counts of the input must still add up.
test_expect_success '--against: --stats adds up with a bad reference line' '
	printf "%s\\n" "{\"id\":\"r1\",\"text\":\"one\"}" "garbage" \
	    "{\"id\":\"r2\"}" >ref.jsonl &&
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"one\"}" \
	    "{\"id\":\"b\",\"text\":\"two\"}" >in.jsonl &&
	test_expect_code 1 df-dedup --against ref.jsonl --stats st.json \
	    in.jsonl >out 2>err &&
	jq -e ".in == .out + ([.rejected[]] | add)" st.json
'

test_done
