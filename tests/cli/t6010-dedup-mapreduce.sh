#!/bin/sh
# shellcheck disable=SC2016 # eval'd test bodies
# df-dedup across machines: --sketch per shard, --from-sketches over all
# sketches in shard order, --drop per shard.  The kept set must be the
# one a single process keeps, and --index-out/--index-in chain runs.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# make_corpus N: N records, every fifth a near copy of an earlier one and
# every seventh an exact copy (case and punctuation changed).
make_corpus () {
	awk -v n="$1" 'BEGIN {
		srand(7)
		nw = split("alpha beta gamma delta epsilon zeta eta theta iota " \
		    "kappa lambda mu nu xi omicron pi rho sigma tau upsilon " \
		    "phi chi psi omega river stone cloud field", w, " ")
		for (i = 1; i <= n; i++) {
			if (i > 10 && i % 7 == 0) {
				t = toupper(text[i - 5]) "!"
			} else if (i > 10 && i % 5 == 0) {
				t = text[i - 3] " and one more phrase at the end"
			} else {
				t = ""
				for (j = 0; j < 60; j++)
					t = t w[1 + int(rand() * nw)] " "
			}
			text[i] = t
			printf "{\"id\":\"r%d\",\"text\":\"%s\"}\n", i, t
		}
	}'
}

test_expect_success 'four shards keep exactly what one process keeps' '
	make_corpus 400 >all.jsonl &&
	split -n l/4 -d all.jsonl shard. &&
	for s in shard.00 shard.01 shard.02 shard.03; do
		df-dedup --sketch "$s" >"sk.$s" || return 1
	done &&
	cat sk.shard.00 sk.shard.01 sk.shard.02 sk.shard.03 |
	    df-dedup --from-sketches >drops.jsonl &&
	for s in shard.00 shard.01 shard.02 shard.03; do
		df-dedup --drop drops.jsonl "$s" >"kept.$s" || return 1
	done &&
	cat kept.shard.00 kept.shard.01 kept.shard.02 kept.shard.03 >kept &&
	df-dedup all.jsonl >single &&
	test_cmp single kept &&
	test "$(wc -l <drops.jsonl)" -gt 50
'

test_expect_success 'a sketch per record; drop list names shard, line, dup_of' '
	make_corpus 50 >in.jsonl &&
	df-dedup --sketch --shard s7 in.jsonl >sk &&
	test_line_count 50 sk &&
	jq -s -e "map(select(.line == 3))[0] | .shard == \"s7\" and
	    .id == \"r3\" and (.sig | length) == 1024" sk &&
	df-dedup --from-sketches sk >drops &&
	jq -s -e "map(select(.line == 14))[0] | .id == \"r14\" and
	    .dup_of == \"r9\" and .rule == \"exact\"" drops
'

test_expect_success '--drop puts the reason and dup_of in --rejects' '
	make_corpus 50 >in.jsonl &&
	df-dedup --sketch in.jsonl | df-dedup --from-sketches >drops &&
	df-dedup --drop drops --rejects rej.jsonl in.jsonl >kept &&
	jq -r "._reject.reason" rej.jsonl | sort -u >reasons &&
	printf "exact-duplicate\nnear-duplicate\n" >expect &&
	test_cmp expect reasons &&
	df-dedup in.jsonl >single &&
	test_cmp single kept
'

test_expect_success 'sketches made with other settings are rejected' '
	make_corpus 5 >in.jsonl &&
	df-dedup --sketch --ngram 3 in.jsonl >sk &&
	test_expect_code 1 df-dedup --from-sketches sk >out 2>err &&
	grep -q "sketch made with other settings" err
'

test_expect_success '--index-out then --index-in equals one run' '
	make_corpus 300 >all.jsonl &&
	head -n 150 all.jsonl >day1 && tail -n 150 all.jsonl >day2 &&
	df-dedup --index-out idx day1 >k1 &&
	df-dedup --index-in idx --index-out idx2 day2 >k2 &&
	cat k1 k2 >kept &&
	df-dedup all.jsonl >single &&
	test_cmp single kept &&
	test -s idx2 && ! ls idx*.tmp.* 2>/dev/null
'

test_expect_success '--index-in refuses an index made with other settings' '
	make_corpus 20 >in.jsonl &&
	df-dedup --index-out idx in.jsonl >/dev/null &&
	test_expect_code 2 df-dedup --index-in idx --seed 3 in.jsonl >out 2>err &&
	grep -q "made with other settings" err &&
	test_must_be_empty out &&
	echo "not an index" >bad &&
	test_expect_code 2 df-dedup --index-in bad in.jsonl 2>err &&
	grep -q "not a df-dedup index" err
'

test_expect_success 'phases that do not mix are usage errors' '
	test_expect_code 2 df-dedup --sketch --from-sketches </dev/null &&
	test_expect_code 2 df-dedup --sketch --annotate </dev/null &&
	test_expect_code 2 df-dedup --drop x --index-out y </dev/null
'

test_expect_success '--drop rejects a record without text, as one process does' '
	make_corpus 20 >in.jsonl &&
	echo "{\"id\":\"nt\"}" >>in.jsonl &&
	test_expect_code 1 df-dedup --sketch in.jsonl >sk 2>/dev/null &&
	df-dedup --from-sketches sk >drops &&
	test_expect_code 1 df-dedup --drop drops --rejects rej in.jsonl \
	    >kept 2>err &&
	grep -q "in.jsonl:21: field .\.text. is missing" err &&
	test_expect_code 1 df-dedup in.jsonl >single 2>/dev/null &&
	test_cmp single kept &&
	jq -e "select(._reject.reason == \"exact-duplicate\") |
	    ._reject.message | startswith(\"exact duplicate of\")" rej |
	    grep -q true
'

test_expect_success '--where does not go with the phases; a repeated phase flag is fine' '
	test_expect_code 2 df-dedup --sketch --where .x </dev/null &&
	df-dedup --sketch --sketch </dev/null
'

test_done
