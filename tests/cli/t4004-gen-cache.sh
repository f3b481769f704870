#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen's cache: a rerun makes no request, an edited record makes
# exactly one, K samples are K entries, failures are not cached, entries
# are whole files, the default place is under XDG_CACHE_HOME.
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

# texts FILE: the generated part of df-gen output, without timings.
texts () {
	jq -c "[.id, .source_id, .text, .gen.prompt_hash, .gen.seed]" "$1"
}

test_expect_success 'a rerun with the cache makes zero requests' '
	stub_start --latency 0.01 &&
	records 40 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c --stats st1.json in.jsonl >out1 &&
	test "$(stub_requests)" -eq 40 &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c --stats st2.json in.jsonl >out2 &&
	test "$(stub_requests)" -eq 40 &&
	stub_stop &&
	texts out1 >t1 && texts out2 >t2 && test_cmp t1 t2 &&
	jq -e -s "all(.[]; .gen.cached)" out2 &&
	jq -e ".llm.requests == 40 and .llm.cache_writes == 40" st1.json &&
	jq -e ".llm.requests == 0 and .llm.cache_hits == 40 and
	    .llm.cost_usd == 0" st2.json
'

test_expect_success 'one edited record makes exactly one request' '
	stub_start &&
	records 30 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c in.jsonl >out1 &&
	sed "s/record 17 says hello/record 17 says goodbye/" in.jsonl >in2.jsonl &&
	! cmp -s in.jsonl in2.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c in2.jsonl >out2 &&
	stub_stop &&
	test_line_count 31 stub.jsonl &&
	tail -n 1 stub.jsonl | jq -e ".body.messages[0].content ==
	    \"record 17 says goodbye\"" &&
	jq -r "select(.gen.cached | not) | .id" out2 >fresh &&
	echo r17:g0 >expect &&
	test_cmp expect fresh
'

test_expect_success 'a changed model, parameter or sample count pays only for what changed' '
	stub_start &&
	records 3 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --samples 2 --cache c in.jsonl >out1 &&
	test "$(stub_requests)" -eq 6 &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --samples 3 --cache c in.jsonl >out2 &&
	test "$(stub_requests)" -eq 9 &&
	df-gen --endpoint "$STUB_URL/v1" --model m2 --prompt .text \
	    --samples 1 --cache c in.jsonl >out3 &&
	test "$(stub_requests)" -eq 12 &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --temperature 0.3 --cache c in.jsonl >out4 &&
	test "$(stub_requests)" -eq 15 &&
	stub_stop
'

test_expect_success 'failures are not cached: a rerun repairs them' '
	stub_start --require-key good &&
	records 4 >in.jsonl &&
	test_expect_code 1 env OPENAI_API_KEY=bad df-gen \
	    --endpoint "$STUB_URL/v1" --model m1 --prompt .text --cache c \
	    in.jsonl >out1 2>err &&
	test_must_be_empty out1 &&
	OPENAI_API_KEY=good df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text --cache c in.jsonl >out2 &&
	stub_stop &&
	test_line_count 4 out2 &&
	test_line_count 8 stub.jsonl
'

test_expect_success 'entries are whole files, no temporary left' '
	stub_start &&
	records 10 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c in.jsonl >out &&
	stub_stop &&
	find c -type f >files &&
	test_line_count 10 files &&
	! grep "\\.tmp" files &&
	for f in $(cat files); do jq -e .choices "$f" >/dev/null || return 1; done
'

test_expect_success 'the default cache is $XDG_CACHE_HOME/datafactory/llm' '
	stub_start &&
	records 2 >in.jsonl &&
	XDG_CACHE_HOME=$PWD/xdg df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text in.jsonl >out &&
	XDG_CACHE_HOME=$PWD/xdg df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text in.jsonl >out2 &&
	stub_stop &&
	test "$(find xdg/datafactory/llm -type f | wc -l)" -eq 2 &&
	test_line_count 2 stub.jsonl &&
	XDG_CACHE_HOME=$PWD/xdg df-gen --endpoint http://127.0.0.1:9/v1 \
	    --model m1 --prompt .text --dry-run in.jsonl >dry &&
	jq -e -s "all(.[]; .gen.cached == 1)" dry
'

test_expect_success '--no-cache neither reads nor writes' '
	stub_start &&
	records 2 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c in.jsonl >out &&
	HOME=$PWD XDG_CACHE_HOME= df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text --no-cache in.jsonl >out2 &&
	stub_stop &&
	test_line_count 4 stub.jsonl &&
	test_path_is_missing .cache
'

test_expect_success 'a damaged cache entry is asked again' '
	stub_start &&
	records 1 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c in.jsonl >out &&
	f=$(find c -type f) &&
	echo "{broken" >"$f" &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --cache c in.jsonl >out2 &&
	stub_stop &&
	test_line_count 2 stub.jsonl &&
	jq -e .choices "$f"
'

test_done
