#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# pipelines/web-to-qa (make and shell forms) on the bundled pages, without
# an LLM: the dataset, the quality gates, incremental re-runs and resuming.
# (t9005 runs the LLM stages against the loopback stub.)
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

P=$SRC_DIR/pipelines
unset DF_LLM_URL
for f in "$P"/data/pages/*/*.html; do
	echo "file://$f"
done >"$TRASH/urls.txt"
# mk ARGS...: the make form into ./out.  The tests share $TRASH/out.
mk () {
	make -s -f "$P/web-to-qa.mk" URLS="$TRASH/urls.txt" OUT=out "$@"
}

test_expect_success 'make: every stage, then every gate passes' '
	cd "$TRASH" &&
	mk >log 2>&1 &&
	grep -c "^gate .*: ok" log >n && echo 5 >expect && test_cmp expect n &&
	for s in fetched pages chunks unique judged; do
		test -s out/$s.stats.json || return 1
	done &&
	jq -r .records out/dataset/manifest.json >n && echo 5 >expect &&
	test_cmp expect n
'

test_expect_success 'make: the printer copy went out as a duplicate' '
	cd "$TRASH" &&
	jq -r "._reject.reason" out/unique.rejects.jsonl >reasons &&
	echo exact-duplicate >expect && test_cmp expect reasons &&
	cat out/dataset/*.jsonl | jq -r .url | sort >urls &&
	! grep -q print urls && test_line_count 5 urls
'

test_expect_success 'make: no page in two splits, metadata kept' '
	cd "$TRASH" &&
	for s in train val test; do
		jq -r "[.parent_id, \"$s\"] | @tsv" out/dataset/$s.jsonl
	done | sort -u | cut -f 1 | uniq -d >leaks &&
	test_must_be_empty leaks &&
	jq -r "select(.title == null or .text == \"\") | .id" \
	    out/dataset/*.jsonl >bad &&
	test_must_be_empty bad
'

test_expect_success 'make: nothing to do when nothing changed' '
	cd "$TRASH" &&
	mk -q out/dataset/manifest.json
'

test_expect_success 'make: a changed stage re-runs only the stages after it' '
	cd "$TRASH" &&
	touch out/chunks.jsonl &&
	mk -n out/dataset/manifest.json >plan &&
	grep -q df-dedup plan && grep -q df-judge plan &&
	! grep -q df-fetch plan && ! grep -q df-extract plan &&
	! grep -q df-chunk plan
'

test_expect_success 'make: an interrupted stage is re-run, the ones before kept' '
	cd "$TRASH" &&
	cp out/pages.jsonl pages.before &&
	rm out/unique.jsonl && echo "{\"partial\":" >out/unique.jsonl.tmp &&
	mk >log 2>&1 &&
	grep -q "^== unique.jsonl" log && ! grep -q "^== pages.jsonl" log &&
	test_cmp pages.before out/pages.jsonl &&
	test_path_is_missing out/unique.jsonl.tmp &&
	jq -r .records out/dataset/manifest.json >n && echo 5 >expect &&
	test_cmp expect n
'

test_expect_success 'make: a failing gate names itself and its numbers' '
	cd "$TRASH" &&
	test_expect_code 2 mk MIN_SAMPLES=100 gate-min-samples >log 2>err &&
	grep -x "gate min-samples: FAILED: records in the dataset 5 < 100 (out/dataset/manifest.json)" err &&
	test_expect_code 2 mk MIN_SOURCES=9 gate-min-sources 2>err &&
	grep -q "gate min-sources: FAILED: distinct source pages 5 < 9" err
'

test_expect_success 'make: the LLM stages say how to turn them on' '
	cd "$TRASH" &&
	mk clean >/dev/null && mk >log 2>&1 &&
	grep -q "LLM stages skipped: set DF_LLM_URL" log
'

test_expect_success 'the shell form makes the same dataset' '
	cd "$TRASH" &&
	sh "$P/web-to-qa.sh" "$TRASH/urls.txt" shout >log 2>err &&
	grep -q "LLM stages skipped" err &&
	for s in train val test; do
		test_cmp out/dataset/$s.jsonl shout/dataset/$s.jsonl || return 1
	done &&
	jq -c "{in, out}" shout/unique.stats.json >got &&
	echo "{\"in\":6,\"out\":5}" >expect && test_cmp expect got
'

test_expect_success 'a page that cannot be fetched is data, not a failure' '
	cd "$TRASH" &&
	{ cat "$TRASH/urls.txt" && echo "file:///no/such/page.html"; } >urls &&
	sh "$P/web-to-qa.sh" urls badout >log 2>err &&
	jq -r "[.url, .error, ._reject.reason] | @tsv" \
	    badout/pages.rejects.jsonl >errors &&
	printf "file:///no/such/page.html\tnot-found\tno-body\n" >expect &&
	test_cmp expect errors &&
	cat out/dataset/*.jsonl | wc -l >n &&
	cat badout/dataset/*.jsonl | wc -l >m &&
	test_cmp n m &&
	jq -r ".in" badout/fetched.stats.json >n && echo 7 >expect &&
	test_cmp expect n
'

test_done
