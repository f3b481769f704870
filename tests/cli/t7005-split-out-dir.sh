#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-split --out-dir DIR: one file per split, manifest.json and a dataset
# card README.md, in JSON Lines, JSON or CSV; nothing half-written.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# gen N: records with text that needs quoting in CSV and escaping in JSON.
gen () {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "{\"id\":\"doc-%d\",\"text\":\"a, \\\"b\\\"\\nc %d\",\"n\":%d}\n",
			    i, i, i
	}'
}

test_expect_success '--out-dir writes the split files, manifest and card' '
	gen 300 >in.jsonl &&
	test_expect_code 0 df-split --out-dir out in.jsonl >stdout 2>err &&
	test_must_be_empty stdout &&
	test_must_be_empty err &&
	ls -A out >files &&
	printf "%s\\n" README.md manifest.json test.jsonl train.jsonl \
	    val.jsonl >expect &&
	test_cmp expect files
'

test_expect_success '--out-dir: the files together are the input' '
	gen 300 >in.jsonl &&
	df-split --out-dir out in.jsonl &&
	cat out/train.jsonl out/val.jsonl out/test.jsonl | sort >union &&
	sort in.jsonl >expect &&
	test_cmp expect union &&
	test -s out/val.jsonl && test -s out/test.jsonl
'

test_expect_success '--out-dir: each file holds its split, in input order' '
	gen 300 >in.jsonl &&
	df-split in.jsonl >annotated &&
	df-split --out-dir out in.jsonl &&
	for s in train val test; do
		sed -n "s/,\"split\":\"$s\"}\$/}/p" annotated >expect.$s &&
		test_cmp expect.$s out/$s.jsonl || return 1
	done
'

test_expect_success 'manifest.json: counts, sizes and sha256 are right' '
	gen 300 >in.jsonl &&
	df-split --out-dir out in.jsonl &&
	jq -e ".records == 300 and (.splits | keys | sort) ==
	    [\"test\", \"train\", \"val\"]" out/manifest.json &&
	for s in train val test; do
		jq -r --arg s $s ".splits[\$s] | [.file, .records, .bytes,
		    .sha256] | @tsv" out/manifest.json >got.$s &&
		printf "%s\\t%s\\t%s\\t%s\\n" $s.jsonl \
		    $(wc -l <out/$s.jsonl) $(wc -c <out/$s.jsonl) \
		    $(sha256sum <out/$s.jsonl | cut -d " " -f 1) >want.$s &&
		test_cmp want.$s got.$s || return 1
	done &&
	jq -e "[.splits[].records] | add == 300" out/manifest.json
'

test_expect_success 'README.md: a YAML header with num_examples per split' '
	gen 300 >in.jsonl &&
	df-split --out-dir out in.jsonl &&
	head -n 1 out/README.md >first &&
	echo "---" >expect &&
	test_cmp expect first &&
	awk "NR > 1 && /^---\$/ { exit } NR > 1 { print }" out/README.md \
	    >header.yaml &&
	test "$(wc -l <header.yaml)" -lt "$(wc -l <out/README.md)" &&
	grep -c "num_examples:" header.yaml >n &&
	echo 3 >expect &&
	test_cmp expect n &&
	sed -n "s/^ *num_examples: *//p" header.yaml >got &&
	for s in train val test; do
		wc -l <out/$s.jsonl || return 1
	done >want &&
	test_cmp want got &&
	python3 -c "import sys
try:
    import yaml
except ImportError:
    sys.exit(0)
yaml.safe_load(open(\"header.yaml\"))"
'

test_expect_success '--out-dir: no temporary files left, reruns identical' '
	gen 300 >in.jsonl &&
	df-split --out-dir out in.jsonl &&
	cp -R out first &&
	df-split --out-dir out in.jsonl &&
	ls -A out >files &&
	test_line_count 5 files &&
	for f in $(cat files); do
		test_cmp first/$f out/$f || return 1
	done &&
	ls -A >here &&
	printf "%s\\n" files first here in.jsonl out >expect &&
	test_cmp expect here
'

test_expect_success '--out-dir replaces old files; a nested new dir is made' '
	gen 50 >in.jsonl &&
	mkdir out && echo stale >out/train.jsonl &&
	df-split --out-dir out in.jsonl &&
	! grep stale out/train.jsonl &&
	df-split --out-dir out/sub in.jsonl &&
	test -s out/sub/manifest.json
'

test_expect_success '--out-dir on a file is exit 2' '
	gen 5 >in.jsonl &&
	echo x >afile &&
	test_expect_code 2 df-split --out-dir afile in.jsonl >out 2>err &&
	grep "^df-split: afile" err &&
	echo x >expect &&
	test_cmp expect afile
'

test_expect_success '--out-dir: bad lines are rejected, good ones written' '
	{ gen 20 && echo "nope" && gen 5; } >in.jsonl &&
	test_expect_code 1 df-split --out-dir out --rejects rej.jsonl \
	    --stats st.json in.jsonl 2>err &&
	grep "^df-split: in.jsonl:21: " err &&
	jq -e "._reject.reason == \"invalid-json\"" rej.jsonl &&
	jq -e ".records == 25" out/manifest.json &&
	jq -e ".in == 26 and .out == 25 and .in == .out +
	    ([.rejected[]] | add)" st.json
'

test_expect_success '--out-dir: bad lines leave no temporary files' '
	{ gen 20 && echo "nope" && gen 5; } >in.jsonl &&
	test_expect_code 1 df-split --out-dir out in.jsonl 2>err &&
	ls -A out >files &&
	printf "%s\\n" README.md manifest.json test.jsonl train.jsonl \
	    val.jsonl >expect &&
	test_cmp expect files
'

test_expect_success '--out-dir --strict: a bad line leaves no temporary files' '
	{ gen 20 && echo "nope" && gen 5; } >in.jsonl &&
	test_expect_code 1 df-split --strict --out-dir out in.jsonl 2>err &&
	grep "^df-split: in.jsonl:21: " err &&
	ls -A out >files &&
	! grep "^\\." files
'

test_expect_success '--out-dir killed by SIGTERM: old files intact, no debris' '
	gen 100 >in.jsonl &&
	df-split --out-dir out in.jsonl &&
	cp -R out before &&
	mkfifo fifo &&
	{ DF_VALGRIND_LEAKS=no df-split --out-dir out fifo 2>err & } &&
	pid=$! &&
	exec 4>fifo &&
	gen 10 >&4 &&
	i=0 &&
	while ! ls -A out | grep -q "^\\." && [ $i -lt 50 ]; do
		sleep 0.2; i=$((i + 1))
	done &&
	kill -TERM $pid &&
	{ wait $pid; echo $? >status; } &&
	exec 4>&- &&
	echo 143 >expect &&
	test_cmp expect status &&
	ls -A out >files &&
	ls -A before >expect &&
	test_cmp expect files &&
	for f in $(cat files); do
		test_cmp before/$f out/$f || return 1
	done
'

test_expect_success '--out-dir: -j 3 writes the same files' '
	gen 5000 >in.jsonl &&
	df-split --out-dir one in.jsonl &&
	df-split -j 3 --out-dir three in.jsonl &&
	for f in train.jsonl val.jsonl test.jsonl manifest.json; do
		test_cmp one/$f three/$f || return 1
	done
'

test_expect_success '--format json: each split is a JSON array' '
	gen 300 >in.jsonl &&
	df-split --out-dir out --format json in.jsonl &&
	ls -A out >files &&
	printf "%s\\n" README.md manifest.json test.json train.json \
	    val.json >expect &&
	test_cmp expect files &&
	for s in train val test; do
		jq -e "type == \"array\"" out/$s.json >/dev/null &&
		test "$(jq length out/$s.json)" -eq \
		    "$(jq -e ".splits.$s.records" out/manifest.json)" &&
		jq -c ".[]" out/$s.json || return 1
	done | sort >union &&
	jq -c . in.jsonl | sort >expect &&
	test_cmp expect union
'

test_expect_success '--format json: an empty split is []' '
	gen 20 >in.jsonl &&
	df-split --out-dir out --format json --ratios a=1,none=0 in.jsonl &&
	jq -e ". == []" out/none.json &&
	jq -e "length == 20" out/a.json &&
	jq -e ".splits.none.records == 0" out/manifest.json
'

test_expect_success '--format csv: header and RFC 4180 quoting' '
	cat >in.jsonl <<-\IN &&
	{"id":"1","text":"plain","n":1}
	{"id":"2","text":"a, b","n":2}
	{"id":"3","text":"say \"hi\"","n":3.5}
	{"id":"4","text":"two\nlines","n":null}
	{"id":"5","text":"x","extra":true}
	IN
	df-split --out-dir out --format csv --ratios all=1 in.jsonl &&
	printf "%s\\r\\n" "id,text,n,extra" "1,plain,1," "2,\"a, b\",2," \
	    "3,\"say \"\"hi\"\"\",3.5," >expect &&
	printf "4,\"two\\nlines\",,\\r\\n5,x,,true\\r\\n" >>expect &&
	test_cmp expect out/all.csv
'

test_expect_success '--format csv: a CSV reader gets the records back' '
	gen 300 >in.jsonl &&
	df-split --out-dir out --format csv in.jsonl &&
	for s in train val test; do
		python3 -c "import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline=\"\")))
assert rows[0] == [\"id\", \"text\", \"n\"], rows[0]
for r in rows[1:]:
    print(json.dumps({\"id\": r[0], \"text\": r[1], \"n\": int(r[2])},
        separators=(\",\", \":\")))" out/$s.csv || return 1
	done | sort >back &&
	sort in.jsonl >expect &&
	test_cmp expect back
'

test_expect_success '--format without --out-dir is a usage error' '
	gen 5 >in.jsonl &&
	test_expect_code 2 df-split --format csv in.jsonl >out 2>err &&
	test_must_be_empty out &&
	grep -F "try '\''df-split --help'\''" err
'

test_expect_success 'a key given twice counts once in the manifest' '
	echo "{\"id\":\"a\",\"x\":1,\"x\":\"s\"}" >in.jsonl &&
	df-split --out-dir d in.jsonl &&
	jq -c ".fields.x" d/manifest.json >actual &&
	echo "{\"present\":1,\"type\":\"string\"}" >expect &&
	test_cmp expect actual
'

test_done
