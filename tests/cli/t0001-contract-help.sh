#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: --help, --version and misuse, for every program.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

contract () {
	test_expect_success "$prog --help: usage on stdout, exit 0" '
		test_expect_code 0 df_prog --help >out 2>err &&
		test_must_be_empty err &&
		head -n 1 out | grep "^usage: $prog " &&
		grep -e "--help" out
	'

	test_expect_success "$prog -h is --help" '
		df_prog --help >expect &&
		test_expect_code 0 df_prog -h >out 2>err &&
		test_must_be_empty err &&
		test_cmp expect out
	'

	test_expect_success "$prog -V and --version print '$prog $DF_VERSION'" '
		test -n "$DF_VERSION" &&
		test_expect_code 0 df_prog -V >out 2>err &&
		test_must_be_empty err &&
		head -n 1 out >first &&
		echo "$prog $DF_VERSION" >expect &&
		test_cmp expect first &&
		test_expect_code 0 df_prog --version >out2 2>err &&
		test_must_be_empty err &&
		test_cmp out out2
	'

	test_expect_success "$prog: an unknown long option is a usage error" '
		gen_records 1 >in.jsonl &&
		test_expect_code 2 df_prog --no-such-option in.jsonl >out 2>err &&
		test_must_be_empty out &&
		grep "usage: $prog" err &&
		grep -F "try '\''$prog --help'\''" err
	'

	test_expect_success "$prog: an unknown short option is a usage error" '
		gen_records 1 >in.jsonl &&
		test_expect_code 2 df_prog -Z in.jsonl >out 2>err &&
		test_must_be_empty out &&
		grep "usage: $prog" err &&
		grep -F "try '\''$prog --help'\''" err
	'

	test_expect_success "$prog: an option missing its value is a usage error" '
		gen_records 1 >in.jsonl &&
		test_expect_code 2 df_prog in.jsonl --stats >out 2>err &&
		test_must_be_empty out &&
		grep -F "try '\''$prog --help'\''" err
	'

	test_expect_success "$prog: a bad number is a usage error" '
		gen_records 1 >in.jsonl &&
		test_expect_code 2 df_prog -j abc in.jsonl >out 2>err &&
		test_must_be_empty out &&
		grep "^$prog: " err &&
		test_expect_code 2 df_prog -j 0 in.jsonl >out 2>err &&
		test_must_be_empty out &&
		test_expect_code 2 df_prog --max-record 12x in.jsonl >out 2>err &&
		test_must_be_empty out
	'
}

for_each_program contract
test_done
