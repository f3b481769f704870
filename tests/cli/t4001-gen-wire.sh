#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen's wire formats, checked at the stub: the path, the headers and
# the body each --api kind sends (model, messages, system, sampling
# parameters, seeds per sample, the schema in the kind's own field), and
# the API key only in its header.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The templates and prices of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR
# shellcheck source=/dev/null
. "$TEST_DIR/stub.sh"

two_records () {
	echo '{"id":"a","text":"the cat sat on the mat"}' &&
	echo '{"id":"b","text":"a dog ran in the park"}'
}

cat >"$TRASH/schema.json" <<'EOS'
{"type":"object","properties":{"q":{"type":"string"},"n":{"type":"integer"}},
 "required":["q","n"]}
EOS

test_expect_success 'openai: POST /v1/chat/completions with the OpenAI body' '
	stub_start &&
	two_records >in.jsonl &&
	OPENAI_API_KEY=sk-test-1 df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt "\"Q: \\(.text)\"" --system "be brief" --temperature 0.5 \
	    --top-p 0.9 --max-tokens 64 --seed 7 --samples 2 --stop "##" \
	    --no-cache in.jsonl >out &&
	stub_stop &&
	test_line_count 4 out &&
	test_line_count 4 stub.jsonl &&
	jq -r "[.path, .auth] | @tsv" stub.jsonl | sort -u >paths &&
	printf "/v1/chat/completions\\tsk-test-1\\n" >expect &&
	test_cmp expect paths &&
	jq -c "select(.body.messages[1].content == \"Q: the cat sat on the mat\")
	    | .body | [.model, .messages[0], .temperature, .top_p,
	    .max_tokens, .seed, .stop, .stream]" stub.jsonl | sort >bodies &&
	cat >expect <<-\EOT &&
	["m1",{"content":"be brief","role":"system"},0.5,0.9,64,7,["##"],false]
	["m1",{"content":"be brief","role":"system"},0.5,0.9,64,8,["##"],false]
	EOT
	test_cmp expect bodies &&
	jq -r "[.id, .source_id, .gen.seed, .gen.sample, .gen.endpoint] | @tsv" \
	    out >ids &&
	printf "a:g0\\ta\\t7\\t0\\topenai\\na:g1\\ta\\t8\\t1\\topenai\\nb:g0\\tb\\t7\\t0\\topenai\\nb:g1\\tb\\t8\\t1\\topenai\\n" >expect &&
	test_cmp expect ids
'

test_expect_success 'openai: --schema goes as response_format json_schema' '
	stub_start &&
	two_records >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text \
	    --schema "$TRASH/schema.json" --no-cache in.jsonl >out &&
	stub_stop &&
	jq -e -s "all(.[]; .body.response_format.type == \"json_schema\" and
	    .body.response_format.json_schema.schema.required == [\"q\",\"n\"])" \
	    stub.jsonl &&
	jq -e -s "length == 2 and all(.[]; (.q | type) == \"string\" and
	    .n == 7 and (has(\"text\") | not))" out
'

test_expect_success 'llamacpp: the schema in the body field json_schema' '
	stub_start &&
	two_records >in.jsonl &&
	df-gen --api llamacpp --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text --schema "$TRASH/schema.json" --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	jq -e -s "all(.[]; .path == \"/v1/chat/completions\" and
	    .body.json_schema.required == [\"q\",\"n\"] and
	    (.body | has(\"response_format\") | not))" stub.jsonl &&
	jq -e -s "length == 2 and all(.[]; .n == 7 and
	    .gen.endpoint == \"llamacpp\")" out
'

test_expect_success 'vllm: the schema in structured_outputs.json' '
	stub_start &&
	two_records >in.jsonl &&
	df-gen --api vllm --endpoint "$STUB_URL/v1/" --model m1 \
	    --prompt .text --schema "$TRASH/schema.json" --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	jq -e -s "all(.[]; .path == \"/v1/chat/completions\" and
	    .body.structured_outputs.json.required == [\"q\",\"n\"])" \
	    stub.jsonl &&
	test_line_count 2 out
'

test_expect_success 'ollama: POST /api/chat, options, format, no key' '
	stub_start &&
	two_records >in.jsonl &&
	env -u OPENAI_API_KEY df-gen --api ollama --endpoint "$STUB_URL" \
	    --model llama3.2 --prompt .text --schema "$TRASH/schema.json" \
	    --temperature 0.2 --max-tokens 50 --seed 3 --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	jq -c "[.path, .auth, .body.stream, .body.options,
	    .body.format.required]" stub.jsonl | sort -u >got &&
	echo "[\"/api/chat\",null,false,{\"num_predict\":50,\"seed\":3,\"temperature\":0.2},[\"q\",\"n\"]]" >expect &&
	test_cmp expect got &&
	jq -e -s "length == 2 and all(.[]; .n == 7 and
	    .gen.usage.prompt_tokens > 0)" out
'

test_expect_success 'anthropic: /v1/messages, x-api-key, system on top, a tool' '
	stub_start &&
	two_records >in.jsonl &&
	ANTHROPIC_API_KEY=ak-test df-gen --api anthropic --endpoint "$STUB_URL" \
	    --model claude-x --prompt .text --system "be brief" \
	    --schema "$TRASH/schema.json" --no-cache in.jsonl >out &&
	stub_stop &&
	jq -c "[.path, .auth, .body.system, .body.max_tokens,
	    (.body.messages | map(.role)), .body.tool_choice,
	    .body.tools[0].input_schema.required,
	    (.headers | index(\"anthropic-version\") != null)]" stub.jsonl |
	    sort -u >got &&
	echo "[\"/v1/messages\",\"ak-test\",\"be brief\",1024,[\"user\"],{\"name\":\"reply\",\"type\":\"tool\"},[\"q\",\"n\"],true]" >expect &&
	test_cmp expect got &&
	jq -e -s "length == 2 and all(.[]; .n == 7 and
	    .gen.endpoint == \"anthropic\")" out
'

test_expect_success 'anthropic: plain text replies, stop_sequences' '
	stub_start &&
	two_records >in.jsonl &&
	df-gen --api anthropic --endpoint "$STUB_URL/v1" --model claude-x \
	    --prompt .text --stop END --no-cache in.jsonl >out &&
	stub_stop &&
	jq -e -s "all(.[]; .path == \"/v1/messages\" and
	    .body.stop_sequences == [\"END\"])" stub.jsonl &&
	jq -r .text out >texts &&
	test "$(grep -c "^fk:[0-9a-f]\{12\} the cat sat on the mat\$" texts)" \
	    -eq 1 &&
	test "$(grep -c "^fk:[0-9a-f]\{12\} a dog ran in the park\$" texts)" \
	    -eq 1
'

test_expect_success 'the API key is sent, never stored or echoed' '
	stub_start &&
	two_records >in.jsonl &&
	OPENAI_API_KEY=sk-secret-42 df-gen --endpoint "$STUB_URL/v1" \
	    --model m1 --prompt .text --cache cache --stats st.json \
	    --rejects rej.jsonl in.jsonl >out 2>err &&
	stub_stop &&
	jq -e -s "all(.[]; .auth == \"sk-secret-42\")" stub.jsonl &&
	! grep -r "sk-secret-42" cache out err st.json rej.jsonl &&
	test "$(find cache -type f | wc -l)" -eq 2
'

test_expect_success '--api-key-env names the variable' '
	stub_start &&
	two_records >in.jsonl &&
	MY_KEY=k-mine OPENAI_API_KEY=k-other df-gen --api-key-env MY_KEY \
	    --endpoint "$STUB_URL/v1" --model m1 --prompt .text --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	jq -r .auth stub.jsonl | sort -u >got &&
	echo k-mine >expect &&
	test_cmp expect got
'

test_expect_success 'DF_LLM_URL is the default endpoint' '
	stub_start &&
	two_records >in.jsonl &&
	DF_LLM_URL=$STUB_URL/v1 df-gen --model m1 --prompt .text --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	test_line_count 2 out &&
	test_line_count 2 stub.jsonl
'

test_done
