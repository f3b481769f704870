#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# Acceptance: splits are stable.  Adding data later never moves a record
# that was already assigned, so a model's test set stays its test set.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# gen N [FIRST]: N records with ids from FIRST (1).
gen () {
	awk -v n="$1" -v first="${2:-1}" 'BEGIN {
		for (i = first; i < first + n; i++)
			printf "{\"id\":\"doc-%d\",\"source\":\"s%d\",\"text\":\"t %d\"}\n",
			    i, i % 37, i
	}'
}

# same_splits OLD NEW: every record of OLD has the same split in NEW.
same_splits () {
	jq -r "[.id, .split] | @tsv" "$1" | sort >old.pairs &&
	jq -r "[.id, .split] | @tsv" "$2" | sort >new.pairs &&
	comm -23 old.pairs new.pairs >moved &&
	test_must_be_empty moved
}

test_expect_success 'append 10%: no old record changes split' '
	gen 1000 >v1.jsonl &&
	{ cat v1.jsonl && gen 100 1001; } >v2.jsonl &&
	df-split v1.jsonl >s1 &&
	df-split v2.jsonl >s2 &&
	test_line_count 1100 s2 &&
	same_splits s1 s2 &&
	head -n 1000 s2 >head &&
	test_cmp s1 head
'

test_expect_success 'append 10% with --ratios and --seed: stable too' '
	gen 1000 >v1.jsonl &&
	{ cat v1.jsonl && gen 100 1001; } >v2.jsonl &&
	df-split --ratios a=1,b=2,c=3 --seed 42 v1.jsonl >s1 &&
	df-split --ratios a=1,b=2,c=3 --seed 42 v2.jsonl >s2 &&
	same_splits s1 s2 &&
	jq -r .split s2 | sort -u | wc -l >n &&
	echo 3 >expect &&
	test_cmp expect n
'

test_expect_success 'new data in front or shuffled in: still stable' '
	gen 1000 >v1.jsonl &&
	{ gen 100 1001 && awk "NR % 2" v1.jsonl && gen 100 2001 &&
	    awk "NR % 2 == 0" v1.jsonl; } >v2.jsonl &&
	df-split --ratios a=1,b=1 v1.jsonl >s1 &&
	df-split --ratios a=1,b=1 v2.jsonl >s2 &&
	same_splits s1 s2
'

test_expect_success 'append 10% with --key .source: stable' '
	gen 1000 >v1.jsonl &&
	{ cat v1.jsonl && gen 100 1001; } >v2.jsonl &&
	df-split --key .source --ratios a=1,b=1 v1.jsonl >s1 &&
	df-split --key .source --ratios a=1,b=1 v2.jsonl >s2 &&
	same_splits s1 s2
'

test_expect_success 'append 10% without ids (whole-record key): stable' '
	gen 1100 | sed "s/\"id\":\"doc-[0-9]*\",//" >all.jsonl &&
	head -n 1000 all.jsonl >v1.jsonl &&
	! grep -q "\"id\"" all.jsonl &&
	df-split --ratios a=1,b=1 v1.jsonl >s1 &&
	df-split --ratios a=1,b=1 all.jsonl >s2 &&
	head -n 1000 s2 >head &&
	test_cmp s1 head
'

test_expect_success 'append 10% with --out-dir: no record changes file' '
	gen 1000 >v1.jsonl &&
	{ cat v1.jsonl && gen 100 1001; } >v2.jsonl &&
	df-split --out-dir d1 v1.jsonl &&
	df-split --out-dir d2 v2.jsonl &&
	for s in train val test; do
		sort d1/$s.jsonl >a && sort d2/$s.jsonl >b &&
		comm -23 a b >gone.$s &&
		test_must_be_empty gone.$s || return 1
	done
'

test_done
