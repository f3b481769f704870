#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: --where EXPR works only on records for which the jq
# condition holds; the others pass through byte for byte.  -q is taken.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# Sample records with a leading "df_t" member and unusual spacing, which
# a program must not normalise when it passes a record through.
gen_where () {
	gen_records "$1" | awk '{
		sub(/^\{/, "{ \"df_t\" : " NR % 2 " ,  ")
		print
	}'
}

contract () {
	test_expect_success "$prog --where false: every record passes untouched" '
		gen_where 20 >in.jsonl &&
		test_expect_code 0 df_prog --where false in.jsonl >out 2>err &&
		test_cmp in.jsonl out &&
		test_must_be_empty err
	'

	test_expect_success "$prog --where true: as without --where" '
		gen_where 20 >in.jsonl &&
		df_prog in.jsonl >expect &&
		df_prog --where true in.jsonl >out &&
		test_cmp expect out
	'

	test_expect_success "$prog --where: records where it is false are kept as is" '
		gen_where 40 >in.jsonl &&
		df_prog --where ".df_t == 1" in.jsonl >out &&
		grep "\"df_t\" : 0 ," in.jsonl >false.jsonl &&
		test_line_count 20 false.jsonl &&
		grep -Fx -f false.jsonl out >kept &&
		test_cmp false.jsonl kept &&
		grep "\"df_t\" : 1 ," in.jsonl >true.jsonl &&
		df_prog true.jsonl >true.out &&
		grep -v -Fx -f false.jsonl out >worked &&
		test_cmp true.out worked
	'

	test_expect_success "$prog --where: passed records count as out in --stats" '
		gen_where 10 >in.jsonl &&
		df_prog --where ".df_t == 1" --stats st.json in.jsonl >out &&
		jq -e ".in == 10 and .out == 10 and .errors == 0" st.json
	'

	test_expect_success "$prog --where with a bad jq program: usage error" '
		gen_where 3 >in.jsonl &&
		test_expect_code 2 df_prog --where ".[" in.jsonl >out 2>err &&
		test_must_be_empty out &&
		grep "^$prog: " err &&
		test_expect_code 2 df_prog -j 3 --where "nosuchfn(1)" in.jsonl \
		    >out 2>err &&
		test_must_be_empty out
	'

	test_expect_success "$prog --where: bad lines are still reported" '
		{ gen_where 2 && echo "nope" && gen_where 2; } >in.jsonl &&
		test_expect_code 1 df_prog --where false in.jsonl >out 2>err &&
		grep "^$prog: in.jsonl:3: " err &&
		grep -v nope in.jsonl >expect &&
		test_cmp expect out
	'

	test_expect_success "$prog -q and --quiet are accepted, output unchanged" '
		gen_records 5 >in.jsonl &&
		df_prog in.jsonl >expect &&
		test_expect_code 0 df_prog -q in.jsonl >out 2>err &&
		test_cmp expect out &&
		test_must_be_empty err &&
		test_expect_code 0 df_prog --quiet in.jsonl >out &&
		test_cmp expect out
	'

	test_expect_success "$prog -q does not mute errors" '
		{ gen_records 1 && echo "[1]"; } >in.jsonl &&
		test_expect_code 1 df_prog -q in.jsonl >out 2>err &&
		echo "$prog: in.jsonl:2: not a JSON object" >expect &&
		test_cmp expect err
	'

	test_expect_success "$prog --progress: progress on stderr, never stdout" '
		gen_records 50 >in.jsonl &&
		df_prog in.jsonl >expect &&
		test_expect_code 0 df_prog --progress in.jsonl >out 2>err &&
		test_cmp expect out &&
		grep "^$prog: " err
	'
}

for_each_program contract
test_done
