#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen against a faulty server: 500, 503, 429, resets, truncated and
# broken bodies, a concurrency limit.  Nothing is lost or duplicated, no
# retry comes sooner than Retry-After; what cannot succeed (4xx, quota,
# cut replies, replies that fail the schema after the re-asks) is
# rejected with its reason and the reply kept.
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

test_expect_success '10% faults and a busy server: no loss, no duplicates' '
	stub_start --latency 0.02-0.06 --max-concurrency 4 --retry-after 0.3 \
	    --seed 3 --fault 500=0.025 --fault 503=0.025 --fault 429=0.02 \
	    --fault reset=0.01 --fault truncate=0.01 --fault badjson=0.01 &&
	records 100 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text -c 6 \
	    --no-cache --stats st.json in.jsonl >out 2>err &&
	stub_stop &&
	test_line_count 100 out &&
	jq -r .source_id out >ids &&
	jq -r .id in.jsonl >expect &&
	test_cmp expect ids &&
	jq -r .id out | sort | uniq -d >dups &&
	test_must_be_empty dups &&
	jq -e -s "all(.[]; .text | startswith(\"fk:\"))" out &&
	jq -s "map(select(.fault != null and .fault != \"busy\")) | length" \
	    stub.jsonl >nfaults &&
	test "$(cat nfaults)" -ge 5 &&
	test "$(jq -s "map(select(.status == 200 and .fault == null)) |
	    map(.body_sha) | unique | length" stub.jsonl)" -eq 100 &&
	jq -e ".llm.retries > 0 and .llm.failed == 0 and .errors == 0" st.json &&
	python3 "$TEST_DIR/retry-check.py" stub.jsonl
'

test_expect_success 'every body answered 429 twice: Retry-After honoured' '
	stub_start --fail-first 2 --retry-after 0.4 &&
	records 6 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	test_line_count 6 out &&
	test_line_count 18 stub.jsonl &&
	jq -e -s "all(.[]; .gen.attempts == 3)" out &&
	python3 "$TEST_DIR/retry-check.py" stub.jsonl >rc.out &&
	grep "^checked 12 retries" rc.out
'

test_expect_success 'Retry-After as an HTTP date and as retry-after-ms' '
	stub_start --fail-first 1 --retry-after date &&
	records 2 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	test_line_count 2 out &&
	python3 "$TEST_DIR/retry-check.py" stub.jsonl &&
	mv stub.jsonl date.jsonl &&
	stub_start --fail-first 1 --retry-after ms:700 &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	test_line_count 2 out &&
	python3 "$TEST_DIR/retry-check.py" stub.jsonl
'

test_expect_success 'a 4xx is not retried: the record is rejected' '
	stub_start --require-key right &&
	records 3 >in.jsonl &&
	test_expect_code 1 env OPENAI_API_KEY=wrong df-gen \
	    --endpoint "$STUB_URL/v1" --model m1 --prompt .text --no-cache \
	    --rejects rej.jsonl --stats st.json in.jsonl >out 2>err &&
	stub_stop &&
	test_must_be_empty out &&
	test_line_count 3 stub.jsonl &&
	grep "^df-gen: in.jsonl:1: HTTP 401: Incorrect API key" err &&
	jq -r "[.id, ._reject.reason, ._reject.http_status] | @tsv" rej.jsonl >got &&
	printf "r%d\\tllm-http-4xx\\t401\\n" 1 2 3 >expect &&
	test_cmp expect got &&
	jq -e ".in == 3 and .out == 0 and .rejected == {\"llm-http-4xx\": 3}" st.json
'

test_expect_success 'insufficient_quota stops the run, nothing retried' '
	stub_start --quota &&
	records 30 >in.jsonl &&
	test_expect_code 1 df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text --no-cache -c 2 --rejects rej.jsonl in.jsonl \
	    >out 2>err &&
	stub_stop &&
	test_must_be_empty out &&
	test "$(wc -l <stub.jsonl)" -le 2 &&
	test_line_count 30 rej.jsonl &&
	jq -r ._reject.reason rej.jsonl | sort -u >got &&
	echo llm-quota >expect &&
	test_cmp expect got &&
	grep "stopped early (quota)" err
'

test_expect_success 'finish_reason length is a failure, the reply kept' '
	stub_start &&
	records 2 >in.jsonl &&
	test_expect_code 1 df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text --max-tokens 3 --no-cache --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	stub_stop &&
	test_must_be_empty out &&
	jq -r "[._reject.reason, ._reject.reply] | @tsv" rej.jsonl >got &&
	jq -r "[\"llm-length\", \"fk : \" + (.id | tostring)] | @tsv" \
	    in.jsonl >/dev/null &&
	test "$(cut -f1 got | sort -u)" = llm-length &&
	cut -f2 got | grep -c "^fk : [0-9a-f]" >n &&
	echo 2 >expect && test_cmp expect n
'

test_expect_success 'an invalid structured reply is re-asked with the error' '
	stub_start &&
	echo "{\"id\":\"a\",\"text\":\"STUB:BAD please\"}" >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --template qa --no-cache \
	    in.jsonl >out &&
	stub_stop &&
	test_line_count 2 stub.jsonl &&
	jq -e -s ".[1].body.messages | length == 4 and
	    .[2].role == \"assistant\" and
	    (.[3].content | startswith(\"That reply is not valid: \"))" \
	    stub.jsonl &&
	jq -e ".question and .answer and .gen.requests == 2" out
'

test_expect_success 'still invalid after --reask N: rejected with the reply' '
	stub_start --fault badcontent=1 &&
	echo "{\"id\":\"a\",\"text\":\"hello\"}" >in.jsonl &&
	test_expect_code 1 df-gen --endpoint "$STUB_URL/v1" --model m1 \
	    --template qa --reask 1 --no-cache --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	stub_stop &&
	test_must_be_empty out &&
	test_line_count 2 stub.jsonl &&
	jq -e "._reject.reason == \"llm-schema\" and
	    (._reject.reply | startswith(\"Here is the JSON\"))" rej.jsonl &&
	grep "does not follow the schema" err
'

test_expect_success 'samples: one failing sample rejects, the others kept' '
	stub_start --require-key k &&
	echo "{\"id\":\"a\",\"text\":\"hello\"}" >in.jsonl &&
	test_expect_code 1 env OPENAI_API_KEY=bad df-gen \
	    --endpoint "$STUB_URL/v1" --model m1 --prompt .text --samples 3 \
	    --no-cache --rejects rej.jsonl in.jsonl >out 2>err &&
	stub_stop &&
	test_must_be_empty out &&
	grep "(3 of 3 samples failed)" err &&
	test_line_count 1 rej.jsonl
'

test_expect_success 'an endpoint that refuses connections: rejects, exit 1' '
	records 2 >in.jsonl &&
	test_expect_code 1 df-gen --endpoint http://127.0.0.1:9/v1 --model m1 \
	    --prompt .text --no-cache --retries 1 --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_must_be_empty out &&
	jq -r ._reject.reason rej.jsonl | sort -u >got &&
	echo llm-retries >expect &&
	test_cmp expect got
'

test_done
