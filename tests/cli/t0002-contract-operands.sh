#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: operands.  No operand or "-" is stdin, several are read
# in order, and every operand is opened before any is read, so one that
# cannot be opened is exit 2 with nothing on stdout.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

contract () {
	test_expect_success "$prog: a missing operand is exit 2 with a message" '
		test_expect_code 2 df_prog nosuch.jsonl >out 2>err &&
		test_must_be_empty out &&
		echo "$prog: nosuch.jsonl: No such file or directory" >expect &&
		test_cmp expect err
	'

	test_expect_success "$prog good nosuch: nothing written, exit 2" '
		gen_records 50 >good.jsonl &&
		test_expect_code 2 df_prog good.jsonl nosuch.jsonl >out 2>err &&
		test_must_be_empty out &&
		echo "$prog: nosuch.jsonl: No such file or directory" >expect &&
		test_cmp expect err
	'

	test_expect_success "$prog: an unreadable operand (a directory) is exit 2" '
		gen_records 5 >good.jsonl &&
		mkdir adir &&
		test_expect_code 2 df_prog good.jsonl adir >out 2>err &&
		test_must_be_empty out &&
		grep "^$prog: adir: " err
	'

	test_expect_success "$prog good nosuch --stats/--rejects: no files made" '
		gen_records 5 >good.jsonl &&
		test_expect_code 2 df_prog --stats st.json --rejects rej.jsonl \
		    good.jsonl nosuch.jsonl >out 2>err &&
		test_must_be_empty out &&
		test_path_is_missing st.json && test_path_is_missing rej.jsonl
	'

	test_expect_success "$prog: no operand reads stdin, as does -" '
		gen_records 20 >in.jsonl &&
		df_prog in.jsonl >expect &&
		test -s expect &&
		df_prog <in.jsonl >out1 &&
		test_cmp expect out1 &&
		df_prog - <in.jsonl >out2 &&
		test_cmp expect out2
	'

	test_expect_success "$prog: several operands are read in order" '
		gen_records 30 >all.jsonl &&
		sed -n 1,10p all.jsonl >a.jsonl &&
		sed -n 11,20p all.jsonl >b.jsonl &&
		sed -n 21,30p all.jsonl >c.jsonl &&
		df_prog all.jsonl >expect &&
		df_prog a.jsonl b.jsonl c.jsonl >out &&
		test_cmp expect out &&
		df_prog a.jsonl - c.jsonl <b.jsonl >out2 &&
		test_cmp expect out2
	'

	test_expect_success "$prog: line numbers count per operand" '
		gen_records 3 >a.jsonl &&
		{ gen_records 1 4 && echo "[1]"; } >b.jsonl &&
		test_expect_code 1 df_prog a.jsonl b.jsonl >out 2>err &&
		echo "$prog: b.jsonl:2: not a JSON object" >expect &&
		test_cmp expect err &&
		test_line_count 4 out &&
		test_expect_code 1 df_prog a.jsonl - <b.jsonl >out 2>err &&
		echo "$prog: <stdin>:2: not a JSON object" >expect &&
		test_cmp expect err
	'

	test_expect_success "$prog: empty input is empty output, exit 0" '
		: >empty.jsonl &&
		test_expect_code 0 df_prog empty.jsonl >out 2>err &&
		test_must_be_empty out &&
		test_must_be_empty err &&
		test_expect_code 0 df_prog </dev/null >out 2>err &&
		test_must_be_empty out
	'
}

for_each_program contract
test_done
