#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: --stats FILE is a JSON summary whose counts add up.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

contract () {
	test_expect_success "$prog --stats: the summary has every member" '
		gen_records 10 >in.jsonl &&
		test_expect_code 0 df_prog --stats st.json in.jsonl >out &&
		jq -e --arg p "$prog" --arg v "$DF_VERSION" "
		    .program == \$p and .version == \$v and
		    (.argv | type) == \"array\" and
		    (.in | type) == \"number\" and (.out | type) == \"number\" and
		    (.rejected | type) == \"object\" and
		    (.errors | type) == \"number\" and
		    (.seconds | type) == \"number\" and .seconds >= 0" st.json &&
		test "$(wc -l <st.json)" -eq 1
	'

	test_expect_success "$prog --stats: argv is the command line" '
		gen_records 2 >in.jsonl &&
		df_prog --stats st.json -q in.jsonl >out &&
		jq -c ".argv[1:]" st.json >actual &&
		jq -cn --args "\$ARGS.positional" -- $prog_args --stats st.json -q \
		    in.jsonl >expect &&
		test_cmp expect actual &&
		jq -e --arg p "$prog" ".argv[0] | endswith(\$p)" st.json
	'

	test_expect_success "$prog --stats: in == out + rejected, counted by reason" '
		gen_records 20 >in.jsonl &&
		echo "not json" >>in.jsonl &&
		echo "[1]" >>in.jsonl &&
		echo "2" >>in.jsonl &&
		echo >>in.jsonl &&
		gen_records 5 21 >>in.jsonl &&
		test_expect_code 1 df_prog --stats st.json --rejects rej.jsonl \
		    in.jsonl >out 2>err &&
		jq -e ".in == 28 and .errors == 3" st.json &&
		jq -e ".in == .out + ([.rejected[]] | add // 0)" st.json &&
		jq -e ".rejected == {\"invalid-json\": 1, \"not-object\": 2}" \
		    st.json &&
		test "$(jq .out st.json)" -eq "$(wc -l <out)" &&
		test "$(jq "[.rejected[]] | add" st.json)" -eq "$(wc -l <rej.jsonl)"
	'

	test_expect_success "$prog --stats: a clean run has no rejects" '
		gen_records 7 >in.jsonl &&
		df_prog --stats st.json in.jsonl >out &&
		jq -e ".in == 7 and .out == 7 and .errors == 0 and
		    .rejected == {}" st.json
	'

	test_expect_success "$prog --stats: the file is replaced, not appended" '
		gen_records 3 >in.jsonl &&
		echo garbage >st.json &&
		df_prog --stats st.json in.jsonl >out &&
		jq -e ".in == 3" st.json &&
		ls -A >files &&
		printf "%s\\n" files in.jsonl out st.json >expect &&
		test_cmp expect files
	'

	test_expect_success "$prog --stats /dev/stderr: written through, kept" '
		gen_records 3 >in.jsonl &&
		df_prog --stats /dev/stderr in.jsonl >out 2>err &&
		jq -e ".in == 3" err &&
		test -L /dev/stderr
	'
}

for_each_program contract
test_done
