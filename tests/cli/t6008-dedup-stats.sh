#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup --stats: kept, exact_duplicates and near_duplicates agree with
# the output and --rejects, in == out + rejected, and the LSH settings are
# recorded.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# mixed: originals, exact and near copies, and bad lines.
mixed () {
	for s in 1 2 3 4 5 6 7 8 9 10; do
		words "$s" 200 | record "o$s" || return 1
	done
	for s in 1 3 5 7; do
		words "$s" 200 | tr '[:lower:]' '[:upper:]' |
		    record "x$s" || return 1
	done
	for s in 2 4 6; do
		words "$s" 200 | awk 'NR == 99 { $0 = "new" } 1' |
		    record "n$s" || return 1
	done
	echo "not json"
	echo "[1, 2]"
	echo "{\"id\":\"m1\"}"
	echo "{\"id\":\"m2\",\"text\":3}"
	words 2 200 | record x2
}

test_expect_success '--stats counts agree with the output and --rejects' '
	mixed >in.jsonl &&
	test_line_count 22 in.jsonl &&
	test_expect_code 1 df-dedup --rejects rej.jsonl --stats st.json \
	    in.jsonl >out 2>err &&
	test_line_count 4 err &&
	jq -e ".in == 22 and .out == 10 and .kept == 10 and
	    .exact_duplicates == 5 and .near_duplicates == 3 and .errors == 4" \
	    st.json &&
	jq -e ".rejected == {\"invalid-json\": 1, \"not-object\": 1,
	    \"missing-field\": 2, \"exact-duplicate\": 5,
	    \"near-duplicate\": 3}" st.json &&
	jq -e ".in == .out + ([.rejected[]] | add)" st.json &&
	test "$(jq .out st.json)" -eq "$(wc -l <out)" &&
	test "$(jq .kept st.json)" -eq "$(wc -l <out)" &&
	test "$(jq "[.rejected[]] | add" st.json)" -eq "$(wc -l <rej.jsonl)" &&
	jq -r ._reject.reason rej.jsonl | sort | uniq -c |
	    awk "{ print \$2, \$1 }" >by_reason &&
	jq -r ".rejected | to_entries[] | \"\\(.key) \\(.value)\"" st.json |
	    sort >expect &&
	test_cmp expect by_reason &&
	test "$(jq .exact_duplicates st.json)" -eq \
	    "$(grep -c "\"reason\":\"exact-duplicate\"" rej.jsonl)" &&
	test "$(jq .near_duplicates st.json)" -eq \
	    "$(grep -c "\"reason\":\"near-duplicate\"" rej.jsonl)"
'

test_expect_success '--stats: a clean run without duplicates' '
	for s in 1 2 3; do
		words "$s" 50 | record "o$s" || exit 1
	done >in.jsonl &&
	test_expect_code 0 df-dedup --stats st.json in.jsonl >out &&
	jq -e ".in == 3 and .out == 3 and .kept == 3 and
	    .exact_duplicates == 0 and .near_duplicates == 0 and
	    .rejected == {} and .errors == 0" st.json
'

test_expect_success '--stats records the LSH settings' '
	words 1 20 | record a >in.jsonl &&
	df-dedup --stats st.json in.jsonl >out &&
	jq -e ".bands == 18 and .rows == 8 and .threshold == 0.8 and
	    .verify == true" st.json &&
	df-dedup --threshold 0.9 --no-verify --stats st.json in.jsonl >out &&
	jq -e ".threshold == 0.9 and .verify == false and
	    .bands * .rows <= 256 and .bands <= 20" st.json &&
	df-dedup --bands 10 --rows 12 --stats st.json in.jsonl >out &&
	jq -e ".bands == 10 and .rows == 12" st.json &&
	df-dedup --bands 4 --stats st.json in.jsonl >out &&
	jq -e ".bands == 4 and .rows == 8" st.json
'

test_expect_success '--stats with --annotate: in == out' '
	mixed | grep -v -e "not json" -e "^\\[" -e "\"m[12]\"" >in.jsonl &&
	test_expect_code 0 df-dedup --annotate --rejects rej.jsonl \
	    --stats st.json in.jsonl >out &&
	test_must_be_empty rej.jsonl &&
	jq -e ".in == .out and .in == 18 and .rejected == {} and
	    .kept == 10 and .exact_duplicates == 5 and
	    .near_duplicates == 3" st.json &&
	test "$(jq -r "select(.dup_of) | .id" out | wc -l)" -eq 8
'

test_expect_success '--stats with --against: reference apart from in' '
	words 1 200 | record r1 >ref.jsonl &&
	words 2 200 | record r2 >>ref.jsonl &&
	mixed >in.jsonl &&
	test_expect_code 1 df-dedup --against ref.jsonl --rejects rej.jsonl \
	    --stats st.json in.jsonl >out 2>err &&
	jq -e ".reference == 2 and .reference_kept == 2 and .in == 22" \
	    st.json &&
	jq -e ".in == .out + ([.rejected[]] | add)" st.json &&
	jq -e ".kept == 8 and .out == 8" st.json &&
	test "$(jq .exact_duplicates st.json)" -eq \
	    "$(grep -c "\"reason\":\"exact-duplicate\"" rej.jsonl)" &&
	test "$(jq .near_duplicates st.json)" -eq \
	    "$(grep -c "\"reason\":\"near-duplicate\"" rej.jsonl)"
'

test_expect_success '--stats: no reference member without --against' '
	words 1 20 | record a >in.jsonl &&
	df-dedup --stats st.json in.jsonl >out &&
	jq -e "has(\"reference\") | not" st.json
'

test_done
