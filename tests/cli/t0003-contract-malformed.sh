#!/bin/sh
# shellcheck disable=SC2016,SC2154 # eval'd bodies; $prog from lib.sh
# Shared contract: malformed input.  Bad lines are reported as
# "prog: file:line: message", go to --rejects with a reason, and the run
# goes on (exit 1), or stops at the first with --strict.  Blank lines are
# skipped but counted; a last line without a newline and CRLF lines work.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

contract () {
	test_expect_success "$prog: a bad line is reported, the rest still emitted" '
		gen_records 1 1 >in.jsonl &&
		echo "[1,2]" >>in.jsonl &&
		gen_records 1 2 >>in.jsonl &&
		gen_records 1 1 >good.jsonl &&
		gen_records 1 2 >>good.jsonl &&
		df_prog good.jsonl >expect &&
		test_expect_code 1 df_prog in.jsonl >out 2>err &&
		test_cmp expect out &&
		echo "$prog: in.jsonl:2: not a JSON object" >expect.err &&
		test_cmp expect.err err
	'

	test_expect_success "$prog: on stdin the file is <stdin>" '
		{ gen_records 1 && echo "\"str\""; } >in.jsonl &&
		test_expect_code 1 df_prog <in.jsonl >out 2>err &&
		echo "$prog: <stdin>:2: not a JSON object" >expect.err &&
		test_cmp expect.err err
	'

	test_expect_success "$prog: not JSON is reported with its line" '
		{ gen_records 2 && echo "{\"a\":" && gen_records 1 3; } >in.jsonl &&
		test_expect_code 1 df_prog in.jsonl >out 2>err &&
		test_line_count 3 out &&
		test_line_count 1 err &&
		grep "^$prog: in.jsonl:3: [a-z]" err
	'

	test_expect_success "$prog --rejects: each kind of bad line has its reason" '
		gen_records 1 >in.jsonl &&
		echo "not json" >>in.jsonl &&
		echo "[\"an\",\"array\"]" >>in.jsonl &&
		printf "{\"id\":\"u\",\"text\":\"caf\\351\"}\\n" >>in.jsonl &&
		gen_records 1 5 >>in.jsonl &&
		test_expect_code 1 df_prog --rejects rej.jsonl in.jsonl >out 2>err &&
		test_line_count 2 out &&
		test_line_count 3 err &&
		jq -r "[._reject.reason, ._reject.file, ._reject.line,
		    ._reject.program] | @tsv" rej.jsonl >actual &&
		printf "%s\\t%s\\t%s\\t%s\\n" \
		    invalid-json in.jsonl 2 "$prog" \
		    not-object in.jsonl 3 "$prog" \
		    invalid-utf8 in.jsonl 4 "$prog" >expect &&
		test_cmp expect actual
	'

	test_expect_success "$prog --rejects: the raw line is kept (raw, raw_b64)" '
		echo "not json" >in.jsonl &&
		echo "[1]" >>in.jsonl &&
		printf "{\"id\":\"u\",\"text\":\"caf\\351\"}\\n" >>in.jsonl &&
		test_expect_code 1 df_prog --rejects rej.jsonl in.jsonl >out 2>err &&
		sed -n 1p rej.jsonl | jq -e ".raw == \"not json\"" &&
		sed -n 2p rej.jsonl | jq -e ".raw == \"[1]\"" &&
		{ sed -n 3p rej.jsonl | jq -r .raw_b64 | base64 -d && echo; } >raw &&
		sed -n 3p in.jsonl >expect &&
		test_cmp expect raw
	'

	test_expect_success "$prog --rejects on stdin names <stdin>" '
		printf "oops\\n" | test_expect_code 1 df_prog --rejects rej.jsonl \
		    2>err &&
		jq -e "._reject.file == \"<stdin>\" and ._reject.line == 1" rej.jsonl
	'

	test_expect_success "$prog: blank lines are skipped but counted" '
		gen_records 1 >in.jsonl &&
		printf "\\n   \\n\\t\\n" >>in.jsonl &&
		echo "[]" >>in.jsonl &&
		gen_records 1 2 >>in.jsonl &&
		test_expect_code 1 df_prog --stats st.json in.jsonl >out 2>err &&
		test_line_count 2 out &&
		echo "$prog: in.jsonl:5: not a JSON object" >expect.err &&
		test_cmp expect.err err &&
		jq -e ".in == 3" st.json
	'

	test_expect_success "$prog: a last line without a newline is a record" '
		gen_records 3 >lf.jsonl &&
		df_prog lf.jsonl >expect &&
		printf "%s" "$(cat lf.jsonl)" >nonl.jsonl &&
		! cmp -s lf.jsonl nonl.jsonl &&
		test_expect_code 0 df_prog nonl.jsonl >out &&
		test_cmp expect out &&
		printf "%s" "$(gen_records 1 1)" | df_prog >out1 &&
		test_line_count 1 out1
	'

	test_expect_success "$prog: CRLF lines give the same output as LF" '
		gen_records 4 >lf.jsonl &&
		df_prog lf.jsonl >expect &&
		sed "s/\$/$(printf "\\r")/" lf.jsonl >crlf.jsonl &&
		! cmp -s lf.jsonl crlf.jsonl &&
		test_expect_code 0 df_prog crlf.jsonl >out 2>err &&
		test_must_be_empty err &&
		test_cmp expect out
	'

	test_expect_success "$prog --strict: stops at the first bad record" '
		gen_records 3 >in.jsonl &&
		echo "nope" >>in.jsonl &&
		gen_records 3 4 >>in.jsonl &&
		echo "[]" >>in.jsonl &&
		gen_records 3 >expect.in &&
		df_prog expect.in >expect &&
		test_expect_code 1 df_prog --strict in.jsonl >out 2>err &&
		test_cmp expect out &&
		test_line_count 1 err &&
		grep "^$prog: in.jsonl:4: " err
	'

	test_expect_success "$prog --strict -j 2: the same, whatever -j" '
		gen_records 3000 >in.jsonl &&
		echo "nope" >>in.jsonl &&
		gen_records 3000 3001 >>in.jsonl &&
		gen_records 3000 >expect.in &&
		df_prog expect.in >expect &&
		test_expect_code 1 df_prog --strict -j 2 in.jsonl >out 2>err &&
		test_cmp expect out &&
		test_line_count 1 err &&
		grep "^$prog: in.jsonl:3001: " err
	'

	test_expect_success "$prog --max-record: a long line is too-large, the next goes on" '
		gen_records 1 1 >in.jsonl &&
		awk "BEGIN { s = sprintf(\"%200s\", \"\"); gsub(/ /, \"x\", s);
		    printf \"{\\\"id\\\":\\\"%s\\\"}\\n\", s }" >>in.jsonl &&
		gen_records 1 2 >>in.jsonl &&
		test "$(sed -n 2p in.jsonl | wc -c)" -gt 200 &&
		test "$(sed -n 3p in.jsonl | wc -c)" -lt 100 &&
		test_expect_code 1 df_prog --max-record 100 --rejects rej.jsonl \
		    in.jsonl >out 2>err &&
		test_line_count 2 out &&
		grep "^$prog: in.jsonl:2: " err &&
		jq -r "[._reject.reason, ._reject.line] | @tsv" rej.jsonl >actual &&
		printf "too-large\\t2\\n" >expect &&
		test_cmp expect actual
	'

	test_expect_success "$prog --max-record takes k, M, G suffixes" '
		gen_records 2 >in.jsonl &&
		df_prog in.jsonl >expect &&
		df_prog --max-record 1k in.jsonl >out &&
		test_cmp expect out &&
		df_prog --max-record 1G in.jsonl >out &&
		test_cmp expect out
	'
}

for_each_program contract
test_done
