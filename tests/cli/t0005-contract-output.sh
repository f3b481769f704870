#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: output integrity.  A reader that closes the pipe ends
# the program quietly by SIGPIPE (status 141); a failed write to stdout is
# exit 2 with a message.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# df_prog_killed ARGS: df_prog for a run that a signal ends on purpose;
# under valgrind, memory in use at that moment is not a leak.
df_prog_killed () (
	DF_VALGRIND_LEAKS=no
	export DF_VALGRIND_LEAKS
	df_prog "$@"
)

contract () {
	test_expect_success "$prog big | head -n 1: killed by SIGPIPE, silent" '
		gen_records 200000 >big.jsonl &&
		{ df_prog_killed big.jsonl 2>err; echo $? >status; } | head -n 1 >first &&
		test_line_count 1 first &&
		echo 141 >expect &&
		test_cmp expect status &&
		test_must_be_empty err
	'

	test_expect_success "$prog -j 2 big | head -n 1: the same" '
		gen_records 200000 >big.jsonl &&
		{ df_prog_killed -j 2 big.jsonl 2>err; echo $? >status; } | head -n 1 >first &&
		test_line_count 1 first &&
		echo 141 >expect &&
		test_cmp expect status &&
		test_must_be_empty err
	'

	test_expect_success "$prog: SIGPIPE kills it even when the parent ignores it" '
		gen_records 200000 >big.jsonl &&
		{ (trap "" PIPE && df_prog_killed big.jsonl 2>err; echo $? >status); } |
		    head -n 1 >first &&
		echo 141 >expect &&
		test_cmp expect status &&
		test_must_be_empty err
	'

	test_expect_success "$prog >/dev/full: exit 2, stdout named" '
		test -w /dev/full &&
		gen_records 10 >in.jsonl &&
		test_expect_code 2 df_prog in.jsonl >/dev/full 2>err &&
		grep "stdout" err &&
		grep "No space left on device" err &&
		grep "^$prog: " err
	'

	test_expect_success "$prog -u >/dev/full: exit 2 on the first write" '
		test -w /dev/full &&
		gen_records 10 >in.jsonl &&
		test_expect_code 2 df_prog -u in.jsonl >/dev/full 2>err &&
		grep "No space left on device" err
	'

	test_expect_success "$prog -u: flushes each record (reader sees it at once)" '
		mkfifo fifo &&
		gen_records 1 >one.jsonl &&
		{ df_prog -u fifo >out 2>err & } &&
		pid=$! &&
		exec 4>fifo &&
		cat one.jsonl >&4 &&
		i=0 &&
		while [ ! -s out ] && [ $i -lt 300 ]; do
			sleep 0.1; i=$((i + 1))
		done &&
		test_line_count 1 out &&
		exec 4>&- &&
		wait $pid
	'
}

for_each_program contract
test_done
