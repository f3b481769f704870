#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-split --stratify EXPR: each label keeps its share in every split.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# gen N [FIRST]: records with labels A (60%), B (30%) and C (10%),
# interleaved.
gen () {
	awk -v n="$1" -v first="${2:-1}" 'BEGIN {
		for (i = first; i < first + n; i++) {
			m = i % 10
			l = m < 6 ? "A" : m < 9 ? "B" : "C"
			printf "{\"id\":\"d%d\",\"label\":\"%s\"}\n", i, l
		}
	}'
}

# within_one RATIOS FILE: for every label and split of FILE, the count is
# within 1 of the label's count times the split's ratio.
within_one () {
	jq -r "[.label, .split] | @tsv" "$2" |
	awk -v spec="$1" '
		BEGIN {
			n = split(spec, kv, ",")
			for (i = 1; i <= n; i++) {
				split(kv[i], p, "=")
				w[p[1]] = p[2]
				sum += p[2]
			}
		}
		{ c[$1 "\t" $2]++; tot[$1]++ }
		END {
			bad = 0
			for (l in tot)
				for (s in w) {
					want = tot[l] * w[s] / sum
					got = c[l "\t" s] + 0
					if (got < want - 1 || got > want + 1) {
						printf "%s %s: %d, want %.1f\n",
						    l, s, got, want
						bad = 1
					}
				}
			exit bad
		}' >&3
}

test_expect_success '--stratify .label: each label within 1 of its share' '
	gen 2997 >in.jsonl &&
	test_expect_code 0 df-split --stratify .label \
	    --ratios train=0.8,val=0.1,test=0.1 in.jsonl >out &&
	test_line_count 2997 out &&
	within_one train=0.8,val=0.1,test=0.1 out
'

test_expect_success '--stratify with the default ratios and odd sizes' '
	{ gen 1777 && gen 901 5000 | sed "s/\"[ABC]\"/\"B\"/" &&
	    gen 322 8000 | sed "s/\"[ABC]\"/\"C\"/"; } >in.jsonl &&
	df-split --stratify .label in.jsonl >out &&
	within_one train=0.9,val=0.05,test=0.05 out
'

test_expect_success '--stratify is deterministic, whatever -j' '
	gen 3000 >in.jsonl &&
	df-split --stratify .label in.jsonl >out1 &&
	df-split --stratify .label in.jsonl >out2 &&
	test_cmp out1 out2 &&
	df-split --stratify .label -j 3 in.jsonl >out3 &&
	test_cmp out1 out3
'

test_expect_success '--stratify: appending records moves no old one' '
	gen 3000 >v1.jsonl &&
	{ cat v1.jsonl && gen 300 3001; } >v2.jsonl &&
	df-split --stratify .label v1.jsonl >s1 &&
	df-split --stratify .label v2.jsonl >s2 &&
	head -n 3000 s2 >head &&
	test_cmp s1 head
'

test_expect_success '--stratify keeps groups whole' '
	gen 3000 | awk "{ sub(/\"id\":\"d[0-9]*\"/, \"\\\"id\\\":\\\"g\" NR % 300 \"\\\"\"); print }" \
	    >in.jsonl &&
	test "$(jq -r .id in.jsonl | sort -u | wc -l)" -eq 300 &&
	df-split --stratify .label --ratios a=1,b=1 in.jsonl >out &&
	jq -r "[.id, .split] | @tsv" out | sort -u | cut -f 1 | uniq -d >shared &&
	test_must_be_empty shared
'

test_expect_success '--stratify with a jq expression' '
	gen 2000 >in.jsonl &&
	df-split --stratify ".label | ascii_downcase" --ratios a=1,b=1 \
	    in.jsonl >expr &&
	df-split --stratify .label --ratios a=1,b=1 in.jsonl >path &&
	test_cmp path expr
'

test_expect_success '--stratify with --out-dir: shares hold in the files' '
	gen 2000 >in.jsonl &&
	df-split --stratify .label --ratios train=0.8,val=0.1,test=0.1 \
	    --out-dir d in.jsonl &&
	for s in train val test; do
		jq -c --arg s $s ". + {split: \$s}" d/$s.jsonl || return 1
	done >out &&
	within_one train=0.8,val=0.1,test=0.1 out
'

test_expect_success '--stratify with a bad jq program: usage error' '
	gen 10 >in.jsonl &&
	test_expect_code 2 df-split --stratify ".[" in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep -F "try '\''df-split --help'\''" err
'

test_done
