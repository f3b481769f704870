#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen's prompts: --prompt and --template programs that yield a
# string, a messages array or an object; --system; the built-in
# templates (each one's request and its structured output); template
# errors rejected with their reason.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The templates and prices of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR
# shellcheck source=/dev/null
. "$TEST_DIR/stub.sh"

test_expect_success '--list-templates lists the five built-ins' '
	df-gen --list-templates >out &&
	cut -d" " -f1 out >names &&
	printf "%s\\n" classify instruct math qa summarize >expect &&
	test_cmp expect names &&
	grep "^qa  *one question" out
'

test_expect_success 'a string prompt is one user message' '
	echo "{\"id\":\"a\",\"text\":\"x y\",\"n\":3}" >in.jsonl &&
	df-gen --dry-run --prompt "\"Write \\(.n) questions about: \\(.text)\"" \
	    in.jsonl >out &&
	jq -c .gen.request.messages out >got &&
	echo "[{\"content\":\"Write 3 questions about: x y\",\"role\":\"user\"}]" >expect &&
	test_cmp expect got
'

test_expect_success 'a messages array is sent as is; --system replaces system' '
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl &&
	cat >t.jq <<-\EOT &&
	[{role: "system", content: "old"}, {role: "user", content: .text},
	 {role: "assistant", content: "ok"}, {role: "user", content: "more"}]
	EOT
	df-gen --dry-run --template ./t.jq in.jsonl >out &&
	jq -c "[.gen.request.messages[] | .role]" out >got &&
	echo "[\"system\",\"user\",\"assistant\",\"user\"]" >expect &&
	test_cmp expect got &&
	df-gen --dry-run --template ./t.jq --system new in.jsonl >out &&
	jq -c "[.gen.request.messages[] | .content]" out >got &&
	echo "[\"new\",\"x\",\"ok\",\"more\"]" >expect &&
	test_cmp expect got
'

test_expect_success 'an object with prompt and schema; --schema wins' '
	echo "{\"id\":\"a\",\"text\":\"x\"}" >in.jsonl &&
	df-gen --dry-run --prompt "{prompt: .text, schema: {type: \"object\"}}" \
	    in.jsonl >out &&
	jq -e ".gen.request.response_format.json_schema.schema == {type: \"object\"}" out &&
	echo "{\"type\":\"array\"}" >s.json &&
	df-gen --dry-run --prompt "{prompt: .text, schema: {type: \"object\"}}" \
	    --schema s.json in.jsonl >out &&
	jq -e ".gen.request.response_format.json_schema.schema == {type: \"array\"}" out
'

test_expect_success 'each built-in template makes valid records at the stub' '
	stub_start &&
	echo "{\"id\":\"c1\",\"text\":\"Water boils at 100 degrees.\",\"domain\":\"cooking\"}" >in.jsonl &&
	for t in qa summarize instruct math; do
		df-gen --template $t --endpoint "$STUB_URL/v1" --model m1 \
		    --no-cache in.jsonl >out.$t || return 1
	done &&
	df-gen --template classify --labels "science, sport" \
	    --endpoint "$STUB_URL/v1" --model m1 --no-cache in.jsonl >out.classify &&
	stub_stop &&
	jq -e "(.question | type) == \"string\" and (.answer | type) == \"string\"
	    and .gen.template == \"qa\" and .source_id == \"c1\"" out.qa &&
	jq -e "(.summary | type) == \"string\"" out.summarize &&
	jq -e "[.instruction, .input, .output] | map(type) ==
	    [\"string\", \"string\", \"string\"]" out.instruct &&
	jq -e "(.reasoning | type) == \"array\" and
	    (.difficulty | IN(\"easy\", \"medium\", \"hard\"))" out.math &&
	jq -e ".label == \"science\"" out.classify &&
	jq -e -s "map(select(.body.messages[1].content |
	    test(\"science, sport\"))) | length == 1" stub.jsonl &&
	jq -e -s "map(select(.body.messages[1].content |
	    test(\"domain of cooking\"))) | length == 1" stub.jsonl &&
	jq -e -s "map(.body.response_format.json_schema.schema.properties.label.enum
	    | select(.)) == [[\"science\", \"sport\"]]" stub.jsonl
'

test_expect_success 'a template error rejects the record with its reason' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"x\"}" "{\"id\":\"b\",\"text\":1}" \
	    "{\"id\":\"c\",\"text\":\"y\"}" >in.jsonl &&
	test_expect_code 1 df-gen --dry-run --prompt "\"about: \" + .text" \
	    --rejects rej.jsonl --stats st.json in.jsonl >out 2>err &&
	test_line_count 2 out &&
	grep "^df-gen: in.jsonl:2: prompt program: " err &&
	jq -r "[.id, ._reject.reason] | @tsv" rej.jsonl >got &&
	printf "b\\ttemplate\\n" >expect &&
	test_cmp expect got &&
	jq -e ".in == 3 and .out == 2 and .rejected == {template: 1}" st.json
'

test_expect_success 'a program yielding a number or nothing is a template error' '
	echo "{\"id\":\"a\"}" >in.jsonl &&
	test_expect_code 1 df-gen --dry-run --prompt 42 in.jsonl >out 2>err &&
	grep "gave number, not a string" err &&
	test_expect_code 1 df-gen --dry-run --prompt empty in.jsonl >out 2>err &&
	grep "gave no value" err &&
	test_expect_code 1 df-gen --dry-run --prompt "[{role: 1}]" \
	    in.jsonl >out 2>err &&
	test_must_be_empty out
'

test_expect_success 'the dry run counts prompt tokens and the cost bound' '
	echo "{\"id\":\"a\",\"text\":\"hello there\"}" >in.jsonl &&
	echo "{\"m1\":{\"input_per_mtok\":1000000,\"output_per_mtok\":0}}" >p.json &&
	df-gen --dry-run --model m1 --prices p.json --prompt .text \
	    --samples 3 --max-tokens 10 --stats st.json in.jsonl >out &&
	jq -e ".gen.requests == 3 and .gen.max_tokens == 30 and
	    .gen.prompt_tokens > 0 and
	    .gen.est_max_cost == .gen.prompt_tokens" out &&
	jq -e ".llm.dry_run and .llm.requests == 3 and
	    .llm.est_max_cost_usd > 0" st.json &&
	df-gen --dry-run --model nosuch --prompt .text in.jsonl >out &&
	jq -e ".gen.est_max_cost == null" out
'

test_expect_success 'a dry run at a terminal or with --progress prints totals' '
	echo "{\"id\":\"a\",\"text\":\"hello there\"}" >in.jsonl &&
	df-gen --dry-run --progress --model gpt-4o-mini --prompt .text \
	    in.jsonl >out 2>err &&
	grep "^df-gen: dry run: 1 records, 1 requests to send (0 cached), [0-9]* prompt tokens, up to 1024 completion tokens, at most [$]0[.]0" err
'

test_done
