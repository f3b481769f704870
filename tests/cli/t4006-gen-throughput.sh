#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-gen keeps the server busy: against a stub that allows 8 requests at
# once, 0.2 s each (40 requests/s at most), 200 records with -j 1 come
# close to the limit, from a file and from a pipe.  A loose bound here
# (the figure is bench/bench-gen.sh's); skipped under valgrind.
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

# rate LOG: requests per second over the log, as a share of 40/s.
rate () {
	jq -s "length / ((map(.t_end) | max) - (map(.t) | min)) / 40" "$1"
}

if [ "${DF_VALGRIND:-0}" = 1 ]; then
	echo "# skipped under valgrind: a timing test"
	test_done
fi

test_expect_success '200 records from a file: >= 85% of the server limit' '
	stub_start --latency 0.2 --max-concurrency 8 &&
	records 200 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text -c 8 \
	    --no-cache in.jsonl >out &&
	stub_stop &&
	test_line_count 200 out &&
	jq -e -s "map(select(.status != 200)) | length == 0" stub.jsonl &&
	r=$(rate stub.jsonl) && echo "share of the limit: $r" &&
	jq -e -n "$r >= 0.85"
'

test_expect_success '200 records through a pipe, -u: the same' '
	stub_start --latency 0.2 --max-concurrency 8 &&
	records 200 | df-gen -u --endpoint "$STUB_URL/v1" --model m1 \
	    --prompt .text -c 8 --no-cache >out &&
	stub_stop &&
	test_line_count 200 out &&
	r=$(rate stub.jsonl) && echo "share of the limit: $r" &&
	jq -e -n "$r >= 0.85"
'

test_expect_success '-c 16 against a limit of 8: slower, nothing lost' '
	stub_start --latency 0.1 --max-concurrency 8 --retry-after 0.2 &&
	records 100 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text -c 16 \
	    --no-cache --stats st.json in.jsonl >out &&
	stub_stop &&
	test_line_count 100 out &&
	jq -r .source_id out >ids && jq -r .id in.jsonl >expect &&
	test_cmp expect ids &&
	python3 "$TEST_DIR/retry-check.py" stub.jsonl
'

test_expect_success '--rpm paces the starts' '
	stub_start &&
	records 6 >in.jsonl &&
	df-gen --endpoint "$STUB_URL/v1" --model m1 --prompt .text --rpm 300 \
	    --no-cache in.jsonl >out &&
	stub_stop &&
	test_line_count 6 out &&
	jq -e -s "(map(.t) | max) - (map(.t) | min) >= 5 * 0.2 - 0.05" stub.jsonl
'

test_done
