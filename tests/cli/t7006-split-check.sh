#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-split --check DIR audits a split folder for leakage: a group key, or
# a text equal after case and white-space folding, in two splits.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# mkdir_split DIR: a clean folder made by --out-dir from 300 records.
mkdir_split () {
	awk 'BEGIN {
		for (i = 1; i <= 300; i++)
			printf "{\"id\":\"doc-%d\",\"text\":\"The text of document %d.\"}\n", i, i
	}' >in.jsonl &&
	df-split --ratios train=0.8,val=0.1,test=0.1 --out-dir "$1" in.jsonl &&
	test -s "$1/test.jsonl" && test -s "$1/val.jsonl"
}

test_expect_success '--check: a clean folder passes' '
	mkdir_split d &&
	test_expect_code 0 df-split --check d >out 2>err &&
	test_must_be_empty err &&
	test_line_count 1 out &&
	jq -e ".leaks == 0" out
'

test_expect_success '--check: a group key in two splits is a leak' '
	mkdir_split d &&
	head -n 1 d/train.jsonl | sed "s/The text/Other words/" >>d/test.jsonl &&
	n=$(wc -l <d/test.jsonl) &&
	test_expect_code 1 df-split --check d >out 2>err &&
	jq -e ".leaks == 1" out &&
	grep "^df-split: d/test.jsonl:$n: .*train" err &&
	grep "d/train.jsonl:1" err
'

test_expect_success '--check: the same text up to case and spaces is a leak' '
	mkdir_split d &&
	head -n 1 d/train.jsonl |
	    jq -c ".id = \"new-1\" | .text = \"  \" + (.text | ascii_upcase |
	    gsub(\" \"; \" \\t  \")) + \"\\n\"" >>d/val.jsonl &&
	tail -n 1 d/val.jsonl &&
	n=$(wc -l <d/val.jsonl) &&
	test_expect_code 1 df-split --check d >out 2>err &&
	jq -e ".leaks == 1" out &&
	grep "^df-split: d/val.jsonl:$n: .*train" err &&
	grep "d/train.jsonl:1" err
'

test_expect_success '--check: both kinds are counted' '
	mkdir_split d &&
	head -n 1 d/train.jsonl >>d/test.jsonl &&
	head -n 2 d/train.jsonl | tail -n 1 |
	    jq -c ".id = \"new-2\" | .text |= ascii_downcase" >>d/val.jsonl &&
	test_expect_code 1 df-split --check d >out 2>err &&
	jq -e ".leaks >= 2" out &&
	test "$(grep -c "^df-split: d/test.jsonl:" err)" -ge 1 &&
	test "$(grep -c "^df-split: d/val.jsonl:" err)" -eq 1
'

test_expect_success '--check: duplicates inside one split are no leak' '
	mkdir_split d &&
	head -n 3 d/train.jsonl >>d/train.jsonl &&
	test_expect_code 0 df-split --check d >out 2>err &&
	jq -e ".leaks == 0" out
'

test_expect_success '--check without a manifest reads the *.jsonl files' '
	mkdir_split d &&
	rm d/manifest.json d/README.md &&
	echo "not a split" >d/notes.txt &&
	test_expect_code 0 df-split --check d >out 2>err &&
	jq -e ".leaks == 0" out &&
	head -n 1 d/val.jsonl >>d/train.jsonl &&
	test_expect_code 1 df-split --check d >out 2>err &&
	jq -e ".leaks >= 1" out &&
	n=$(wc -l <d/train.jsonl) &&
	grep "^df-split: d/val.jsonl:1: .*train.*d/train.jsonl:$n" err
'

test_expect_success '--check uses the key of the manifest, or --key' '
	awk "BEGIN { for (i = 1; i <= 300; i++)
	    printf \"{\\\"id\\\":\\\"d%d\\\",\\\"source\\\":\\\"s%d\\\",\\\"text\\\":\\\"t %d\\\"}\\n\",
	    i, i % 20, i }" >in.jsonl &&
	df-split --key .source --ratios a=1,b=1 --out-dir d in.jsonl &&
	test_expect_code 0 df-split --check d >out &&
	jq -e ".leaks == 0" out &&
	head -n 1 d/a.jsonl | jq -c ".id = \"x\" | .text = \"fresh\"" >>d/b.jsonl &&
	n=$(wc -l <d/b.jsonl) &&
	test_expect_code 1 df-split --check d >out 2>err &&
	jq -e ".leaks == 1" out &&
	grep "^df-split: d/b.jsonl:$n: .*d/a.jsonl:1" err &&
	test_expect_code 0 df-split --check d --key .id >out &&
	jq -e ".leaks == 0" out
'

test_expect_success '--check --text: the text compared is chosen' '
	printf "%s\\n" "{\"id\":\"a\",\"body\":\"Same Words\"}" >in.jsonl &&
	mkdir d &&
	cp in.jsonl d/one.jsonl &&
	printf "%s\\n" "{\"id\":\"b\",\"body\":\"same   words\"}" >d/two.jsonl &&
	test_expect_code 0 df-split --check d >out &&
	test_expect_code 1 df-split --check d --text .body >out 2>err &&
	jq -e ".leaks == 1" out &&
	grep "^df-split: d/two.jsonl:1: .*one" err
'

test_expect_success '--check on a missing folder is exit 2' '
	test_expect_code 2 df-split --check nosuch >out 2>err &&
	test_must_be_empty out &&
	grep "^df-split: nosuch" err
'

test_expect_success '--check with operands or --out-dir is a usage error' '
	mkdir_split d &&
	test_expect_code 2 df-split --check d in.jsonl >out 2>err &&
	test_must_be_empty out &&
	test_expect_code 2 df-split --check d --out-dir e >out 2>err &&
	test_must_be_empty out &&
	test_path_is_missing e
'

test_done
