#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen's money: usage and cost per record from the price table, totals
# in --stats, unknown prices reported as unknown, and --max-cost stopping
# within one request's cost of the cap with the rest resumable.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The templates and prices of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR
# shellcheck source=/dev/null
. "$TEST_DIR/stub.sh"

records () {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
	    printf "{\"id\":\"r%d\",\"text\":\"record %d says hello\"}\n", i, i }'
}

# One dollar per completion token, prompts free: a stub reply to
# "record N says hello" is 7 tokens (fk : HEX record N says hello).
cat >"$TRASH/prices.json" <<'EOP'
{"m1": {"input_per_mtok": 0, "output_per_mtok": 1000000},
 "m2": {"input_cost_per_token": 0.000001, "output_cost_per_token": 0.000002}}
EOP

test_expect_success 'usage and cost per record, totals in --stats' '
	stub_start &&
	records 5 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m2 --prices "$TRASH/prices.json" \
	    --prompt .text --no-cache --stats st.json in.jsonl >out 2>err &&
	stub_stop &&
	jq -s "map(.prompt_tokens * 0.000001 + .completion_tokens * 0.000002)
	    | add" stub.jsonl >want &&
	jq -e -s --slurpfile w want "(map(.gen.cost) | add) - \$w[0] | fabs
	    < 1e-9" out &&
	jq -e -s "all(.[]; .gen.usage.prompt_tokens > 0 and
	    .gen.usage.completion_tokens == 7)" out &&
	jq -e ".llm.requests == 5 and .llm.completion_tokens == 35 and
	    .llm.cost_usd > 0" st.json &&
	grep "^df-gen: 5 requests (0 retries, 0 re-asks), 0 from cache, 0 failed, [0-9]* prompt + 35 completion tokens, cost [$]0[.]000" err
'

test_expect_success 'an unknown price is unknown, never zero' '
	stub_start &&
	records 2 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model nosuch \
	    --prices "$TRASH/prices.json" --prompt .text --no-cache \
	    --stats st.json in.jsonl >out 2>err &&
	stub_stop &&
	jq -e -s "all(.[]; .gen.cost == null)" out &&
	jq -e ".llm.cost_usd == null" st.json &&
	grep "cost unknown (no price for .nosuch.)" err
'

test_expect_success 'a dated or prefixed model name finds its price' '
	stub_start --model-name m2-2024-07-18 &&
	records 1 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model openai/m2-2024-07-18 \
	    --prices "$TRASH/prices.json" --prompt .text --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	jq -e ".gen.cost > 0 and .gen.model == \"m2-2024-07-18\"" out
'

test_expect_success '--max-cost: never over the cap, within one request of it' '
	stub_start &&
	records 30 >in.jsonl &&
	test_expect_code 1 df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prices "$TRASH/prices.json" --max-tokens 40 --max-cost 100 \
	    --prompt .text -c 4 --cache c --rejects rej.jsonl \
	    --stats st.json in.jsonl >out 2>err &&
	stub_stop &&
	jq -e ".llm.cost_usd <= 100 and .llm.cost_usd > 100 - 40" st.json &&
	n=$(wc -l <out) &&
	test "$n" -gt 0 && test "$n" -lt 30 &&
	jq -e ".llm.cost_usd == $((n * 7))" st.json &&
	test "$(wc -l <rej.jsonl)" -eq $((30 - n)) &&
	jq -r ._reject.reason rej.jsonl | sort -u >got &&
	echo llm-max-cost >expect &&
	test_cmp expect got &&
	grep "stopped early (max-cost)" err &&
	test "$(stub_requests)" -eq "$n"
'

test_expect_success '--max-cost: a rerun with the cache resumes, paying only the rest' '
	stub_start &&
	records 20 >in.jsonl &&
	test_expect_code 1 df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prices "$TRASH/prices.json" --max-tokens 40 --max-cost 70 \
	    --prompt .text -c 1 --cache c in.jsonl >out1 2>err &&
	n1=$(wc -l <out1) &&
	test "$n1" -eq 5 &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prices "$TRASH/prices.json" --max-tokens 40 --max-cost 1000 \
	    --prompt .text -c 1 --cache c --stats st.json in.jsonl >out2 &&
	stub_stop &&
	test_line_count 20 out2 &&
	test "$(stub_requests)" -eq 20 &&
	jq -e ".llm.cache_hits == 5 and .llm.requests == 15" st.json
'

test_expect_success '--max-cost with no price for the model: usage error' '
	records 1 >in.jsonl &&
	test_expect_code 2 df-gen --model nosuch --prices "$TRASH/prices.json" \
	    --max-cost 1 --prompt .text in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep "no price for model .nosuch." err
'

test_done
