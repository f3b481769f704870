#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-judge --judge against the loopback stub (tests/llm-stub.py): the
# score read from a structured reply, "[[n]]" or "Score: n"; a reply
# with no score, or one out of range, is the record's error, never a
# zero; the cache, retries and -j behave as in df-gen.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The bad-word lists and tokenizer ranks of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

# judge_stub ARGS: start the stub; sets URL and SPID.  It exits by itself
# 30 s after its last request (10 min under valgrind, where df-judge's
# start-up alone can take longer than 30 s).
judge_stub () {
	rm -f stub.port
	_idle=30
	[ "${DF_VALGRIND:-0}" = 1 ] && _idle=600
	python3 "$SRC_DIR/tests/llm-stub.py" --port-file stub.port \
	    --log stub.jsonl --idle "$_idle" "$@" &
	SPID=$!
	_i=0
	while [ ! -s stub.port ] && [ $_i -lt 150 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s stub.port ] || { echo "judge_stub: no port" >&3; return 1; }
	# shellcheck disable=SC2034 # used by the test bodies
	URL=http://127.0.0.1:$(cat stub.port)/v1
}

judge_stub_stop () {
	kill "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	return 0
}

# The stub echoes the start of the last user message after "fk:<hash> ",
# so with this template the record's text is the judge's reply.
echo_template () {
	echo "judge_text" >echo.jq
}

parse_input () {
	cat >in.jsonl <<-\IN
	{"id":"json","text":"{\"score\": 3, \"reason\": \"plain\"}"}
	{"id":"brackets","text":"Helpful and correct. Rating: [[7]]"}
	{"id":"score","text":"A fair page. Score: 4"}
	{"id":"garbage","text":"I cannot rate this"}
	{"id":"over","text":"Brilliant, 11 out of 10"}
	IN
}

test_expect_success 'text replies: JSON, [[7]], Score: 4; garbage and 11/10 fail' '
	judge_stub &&
	parse_input && echo_template &&
	test_expect_code 1 df-judge --signals length --judge ./echo.jq \
	    --judge-format text --endpoint "$URL" --model m --no-cache \
	    --rejects rej.jsonl --stats st.json in.jsonl >out 2>err &&
	judge_stub_stop &&
	jq -r "[.id, .scores.llm, .scores.llm_judge.how] | @tsv" out >actual &&
	printf "json\\t3\\tjson\\nbrackets\\t7\\tbrackets\\nscore\\t4\\tscore-line\\n" \
	    >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason, (._reject.reply | sub(\"^fk:[0-9a-f]+ \"; \"\"))] | @tsv" \
	    rej.jsonl >actual &&
	printf "garbage\\tjudge-unparseable\\tI cannot rate this\\nover\\tjudge-out-of-range\\tBrilliant, 11 out of 10\\n" \
	    >expect &&
	test_cmp expect actual &&
	grep "in.jsonl:4: no score in the judge" err &&
	grep "in.jsonl:5: score 11 is outside 1-10" err &&
	jq -e "has(\"scores\") | not" rej.jsonl >/dev/null &&
	jq -e "._reject.scores.length.words > 0" rej.jsonl >/dev/null &&
	jq -e ".judged == 3 and .judge_failed == 2 and .errors == 2 and
	    .in == 5 and .out == 3 and .llm.requests == 5" st.json
'

test_expect_success 'structured replies: the rubric schema, then --keep on the score' '
	judge_stub &&
	parse_input &&
	df-judge --signals length --judge quality --endpoint "$URL" \
	    --model m --no-cache --keep ".scores.llm >= 6" in.jsonl >out &&
	df-judge --signals length --judge edu --endpoint "$URL" --model m \
	    --no-cache --keep ".scores.llm >= 6" --rejects rej.jsonl \
	    in.jsonl >out2 &&
	judge_stub_stop &&
	test_line_count 5 out &&
	jq -e -s "all(.[]; .scores.llm == 7 and
	    .scores.llm_judge.template == \"quality\" and
	    .scores.llm_judge.scale == [1, 10] and
	    .scores.llm_judge.how == \"json\" and
	    .scores.llm_judge.model == \"m\" and
	    (.scores.llm_judge.prompt_hash | length) == 16)" out &&
	test_must_be_empty out2 &&
	jq -r "[._reject.reason, ._reject.scores.llm] | @tsv" rej.jsonl |
	    sort -u >actual &&
	printf "keep\\t5\\n" >expect &&
	test_cmp expect actual &&
	jq -e -s "map(select(.body.messages[-1].content | test(\"additive\")))
	    | length == 5 and all(.[]; .body.response_format.json_schema.schema
	    | .properties.score == {\"type\":\"integer\",\"minimum\":0,
	    \"maximum\":5} and .required == [\"score\",\"reason\"])" stub.jsonl &&
	jq -e -s "all(.[]; .body.temperature == 0)" stub.jsonl
'

test_expect_success 'the cache: a rerun asks the server nothing' '
	judge_stub &&
	parse_input &&
	df-judge --signals length --judge quality --endpoint "$URL" \
	    --model m --cache cache in.jsonl >out1 &&
	n1=$(wc -l <stub.jsonl) &&
	df-judge --signals length --judge quality --endpoint "$URL" \
	    --model m --cache cache --stats st.json in.jsonl >out2 &&
	n2=$(wc -l <stub.jsonl) &&
	judge_stub_stop &&
	test "$n1" -eq 5 && test "$n2" -eq 5 &&
	jq -e -s "all(.[]; .scores.llm_judge.cached)" out2 &&
	sed "s/\"cached\":true/\"cached\":false/" out2 >out2b &&
	test_cmp out1 out2b &&
	jq -e ".llm.cache_hits == 5 and .llm.requests == 0" st.json
'

test_expect_success 'retries: 429s with Retry-After, then every record judged' '
	judge_stub --fail-first 1 --retry-after 0.2 &&
	parse_input &&
	df-judge --signals length --judge quality --endpoint "$URL" \
	    --model m --no-cache --stats st.json in.jsonl >out &&
	judge_stub_stop &&
	test_line_count 5 out &&
	jq -e ".judged == 5 and .llm.retries == 5 and .llm.attempts == 10" \
	    st.json &&
	test "$(jq -s "map(select(.status == 429)) | length" stub.jsonl)" -eq 5
'

test_expect_success '-j 2 and -c 2 give the same output, in input order' '
	judge_stub --latency 0-0.05 &&
	i=0 &&
	while [ $i -lt 30 ]; do
		printf "{\"id\":%d,\"text\":\"Page %d. Score: %d\"}\\n" $i $i \
		    $((i % 10 + 1)) || exit 1
		i=$((i + 1))
	done >in.jsonl &&
	echo_template &&
	df-judge -j 1 -c 1 --signals length --judge ./echo.jq \
	    --judge-format text --endpoint "$URL" --model m --no-cache \
	    in.jsonl >out1 &&
	df-judge -j 2 -c 4 --signals length --judge ./echo.jq \
	    --judge-format text --endpoint "$URL" --model m --no-cache \
	    in.jsonl >out2 &&
	judge_stub_stop &&
	test_cmp out1 out2 &&
	jq -r .scores.llm out1 | tr "\\n" " " >actual &&
	printf "1 2 3 4 5 6 7 8 9 10 1 2 3 4 5 6 7 8 9 10 1 2 3 4 5 6 7 8 9 10 " \
	    >expect &&
	test_cmp expect actual
'

test_expect_success 'judge usage errors exit 2' '
	echo "{\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-judge --judge nope in.jsonl 2>err &&
	grep "no built-in rubric .nope." err &&
	test_expect_code 2 df-judge --judge quality --judge-format xml \
	    --no-cache in.jsonl 2>err &&
	test_expect_code 2 df-judge --judge-scale 0-5 in.jsonl 2>err &&
	echo "judge_text" >t.jq &&
	test_expect_code 2 df-judge --judge ./t.jq --judge-scale 5-1 \
	    --no-cache in.jsonl 2>err &&
	grep "MIN-MAX" err &&
	echo "judge_text |" >bad.jq &&
	test_expect_code 2 df-judge --judge ./bad.jq --no-cache in.jsonl \
	    2>err &&
	grep "^df-judge: --judge: " err
'

test_done
