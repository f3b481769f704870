#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# The LLM stages of web-to-qa and math-problems against the loopback stub
# (tests/llm-stub.py): Q&A made and judged, a rebuild paying nothing, the
# rule checks and gates of math-problems.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TEST_DIR/stub.sh"

P=$SRC_DIR/pipelines
for f in "$P"/data/pages/*/*.html; do
	echo "file://$f"
done >"$TRASH/urls.txt"
mk () {
	make -s -f "$P/web-to-qa.mk" URLS="$TRASH/urls.txt" OUT=out \
	    MODEL=stub-model "$@"
}

test_expect_success 'web-to-qa: Q&A pairs made, judged and split' '
	cd "$TRASH" &&
	stub_start &&
	DF_LLM_URL=$STUB_URL/v1 mk >log 2>&1 &&
	stub_stop &&
	grep -c "^gate .*: ok" log >n && echo 5 >expect && test_cmp expect n &&
	cat out/dataset/*.jsonl >all &&
	test_line_count 5 all &&
	jq -r "select((.question | length) > 0 and (.answer | length) > 0
	    and .gen.model == \"stub-model\" and .scores.llm == 7) | .id" \
	    all >good &&
	test_line_count 5 good &&
	jq -r .path stub.jsonl | sort | uniq -c | awk "{print \$1}" >per-path &&
	echo 10 >expect && test_cmp expect per-path
'

test_expect_success 'web-to-qa: a rebuild from the cache pays for nothing' '
	cd "$TRASH" &&
	mv stub.jsonl first.jsonl &&
	rm -f out/*.jsonl out/*.json && rm -rf out/dataset &&
	stub_start &&
	DF_LLM_URL=$STUB_URL/v1 mk >log 2>&1 &&
	stub_stop &&
	test "$(stub_requests)" -eq 0 &&
	cat out/dataset/*.jsonl | wc -l >n && echo 5 >expect &&
	test_cmp expect n
'

test_expect_success 'math-problems: generated, checked by rules, gated' '
	cd "$TRASH" &&
	stub_start &&
	SAMPLES=2 DF_LLM_URL=$STUB_URL/v1 DF_LLM_MODEL=stub-model \
	    test_expect_code 1 sh "$P/math-problems.sh" mp >log 2>err &&
	stub_stop &&
	test "$(stub_requests)" -eq 12 &&
	jq -r "._reject.reason" mp/rules.rejects.jsonl | sort | uniq -c |
	    awk "{print \$1, \$2}" >got &&
	echo "12 require1" >expect && test_cmp expect got &&
	grep -x "gate min-samples: FAILED: problems in the dataset 0 < 5 (mp/dataset/manifest.json)" err
'

test_expect_success 'math-problems without an LLM checks the bundled problems' '
	cd "$TRASH" &&
	sh "$P/math-problems.sh" mp0 >log 2>&1 &&
	grep -q "LLM stages skipped" log &&
	jq -r "._reject.reason + \" \" + .id" mp0/rules.rejects.jsonl >got &&
	printf "require2 s7\nrequire1 s8\n" >expect && test_cmp expect got &&
	cat mp0/dataset/*.jsonl | wc -l >n && echo 6 >expect &&
	test_cmp expect n
'

test_done
