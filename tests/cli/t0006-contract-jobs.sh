#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: -j N changes the speed, never the output.  Output,
# rejects, stats counts and diagnostics are byte-identical for any N.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

contract () {
	test_expect_success "$prog -j 1/2/3: identical output, rejects, stderr" '
		gen_records 2500 >in.jsonl &&
		echo "not json" >>in.jsonl &&
		gen_records 2000 2501 >>in.jsonl &&
		echo "[1]" >>in.jsonl &&
		echo >>in.jsonl &&
		printf "{\"id\":\"x\",\"t\":\"\\377\"}\\n" >>in.jsonl &&
		gen_records 1500 4501 >>in.jsonl &&
		for j in 1 2 3; do
			test_expect_code 1 df_prog -j $j --rejects rej$j.jsonl \
			    --stats st$j.json in.jsonl >out$j 2>err$j || return 1
		done &&
		test_line_count 6000 out1 &&
		test_line_count 3 rej1.jsonl &&
		test_line_count 3 err1 &&
		test_cmp out1 out2 && test_cmp out1 out3 &&
		test_cmp rej1.jsonl rej2.jsonl && test_cmp rej1.jsonl rej3.jsonl &&
		test_cmp err1 err2 && test_cmp err1 err3 &&
		for j in 1 2 3; do
			jq -c "[.in, .out, .rejected, .errors]" st$j.json || return 1
		done >counts &&
		sort -u counts >uniq &&
		test_line_count 1 uniq
	'

	test_expect_success "$prog -j 2 on stdin and several operands" '
		gen_records 3000 >a.jsonl &&
		gen_records 3000 3001 >b.jsonl &&
		df_prog -j 1 a.jsonl - <b.jsonl >expect &&
		df_prog -j 2 a.jsonl - <b.jsonl >out &&
		test_cmp expect out
	'
}

for_each_program contract
test_done
