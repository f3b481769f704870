#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup and exact duplicates: texts that normalise the same (case,
# punctuation, whitespace) are one text; the first is kept byte for byte,
# the later ones go to --rejects naming the kept record.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

test_expect_success 'case, punctuation and whitespace variants are dropped' '
	cat >in.jsonl <<-\IN &&
	{"id":"a","text":"The quick brown fox.","n":1}
	{"id":"b","text":"Something else entirely","x":{"y":[1, 2]}}
	{"id":"c","text":"the QUICK   brown fox"}
	{"id":"d","text":"  The quick, brown -- fox!  "}
	{"id":"e","text":"The quick brown fox jumps"}
	{"id":"f","text":"the\tquick\nbrown\u00a0FOX..."}
	{"id" : "g",  "text" : "something ELSE entirely."}
	{"id":"h","text":"The quick brown"}
	IN
	test_expect_code 0 df-dedup --rejects rej.jsonl in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n "1p;2p;5p;8p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.reason, ._reject.dup_of, ._reject.rule,
	    ._reject.similarity, ._reject.file, ._reject.line] | @tsv" \
	    rej.jsonl >actual &&
	printf "%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n" \
	    c exact-duplicate a exact 1 in.jsonl 3 \
	    d exact-duplicate a exact 1 in.jsonl 4 \
	    f exact-duplicate a exact 1 in.jsonl 6 \
	    g exact-duplicate b exact 1 in.jsonl 7 >expect &&
	test_cmp expect actual &&
	jq -c "del(._reject)" rej.jsonl >back &&
	sed -n "3p;4p;6p;7p" in.jsonl | jq -c . >expect &&
	test_cmp expect back &&
	jq -e -s "all(._reject.program == \"df-dedup\")" rej.jsonl
'

test_expect_success 'the first of a group is kept, wherever the others are' '
	for i in 1 2 3 4 5 6; do
		echo "{\"id\":\"u$i\",\"text\":\"unique text number $i\"}"
		echo "{\"id\":\"v$i\",\"text\":\"UNIQUE text, number $i!\"}"
	done >in.jsonl &&
	echo "{\"id\":\"w\",\"text\":\"unique text number 1\"}" >>in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >ids &&
	printf "u%d\\n" 1 2 3 4 5 6 >expect &&
	test_cmp expect ids &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "v%d\\tu%d\\n" 1 1 2 2 3 3 4 4 5 5 6 6 >expect &&
	printf "w\\tu1\\n" >>expect &&
	test_cmp expect actual
'

test_expect_success 'a duplicate of a duplicate names the kept record' '
	printf "%s\\n" "{\"id\":\"first\",\"text\":\"Hello World\"}" \
	    "{\"id\":\"second\",\"text\":\"hello world\"}" \
	    "{\"id\":\"third\",\"text\":\"HELLO, WORLD\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	test_line_count 1 out &&
	jq -r ._reject.dup_of rej.jsonl >actual &&
	printf "first\\nfirst\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'non-ASCII capitals and JSON escapes fold too' '
	cat >in.jsonl <<-\IN &&
	{"id":"fr","text":"L'\''école est fermée"}
	{"id":"fr2","text":"L'\''\u00c9COLE EST FERM\u00c9E"}
	{"id":"el","text":"ΣΟΦΙΑ και γνώση"}
	{"id":"el2","text":"σοφια ΚΑΙ ΓΝΏΣΗ"}
	{"id":"ru","text":"Привет, мир!"}
	{"id":"ru2","text":"ПРИВЕТ МИР"}
	{"id":"ru3","text":"привет мир и всё"}
	IN
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >ids &&
	printf "%s\\n" fr el ru ru3 >expect &&
	test_cmp expect ids &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "fr2\\tfr\\nel2\\tel\\nru2\\tru\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'digits count: numbers that differ make texts differ' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"order 1234 shipped\"}" \
	    "{\"id\":\"b\",\"text\":\"order 1235 shipped\"}" \
	    "{\"id\":\"c\",\"text\":\"Order #1234: shipped.\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >ids &&
	printf "%s\\n" a b >expect &&
	test_cmp expect ids &&
	jq -e "._reject.dup_of == \"a\" and .id == \"c\"" rej.jsonl
'

test_expect_success 'texts with no word at all are alike' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"\"}" \
	    "{\"id\":\"b\",\"text\":\"...!?\"}" \
	    "{\"id\":\"c\",\"text\":\"  \\n\\t \"}" \
	    "{\"id\":\"d\",\"text\":\"x\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >ids &&
	printf "%s\\n" a d >expect &&
	test_cmp expect ids &&
	jq -r "[.id, ._reject.dup_of, ._reject.reason] | @tsv" rej.jsonl \
	    >actual &&
	printf "b\\ta\\texact-duplicate\\nc\\ta\\texact-duplicate\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a kept record without an id is named FILE:LINE' '
	printf "%s\\n" "{\"n\":1,\"text\":\"alpha beta\"}" \
	    "{\"n\":2,\"text\":\"gamma\"}" \
	    "{\"id\":null,\"text\":\"delta\"}" \
	    "{\"id\":\"x\",\"text\":\"Alpha, beta\"}" \
	    "{\"text\":\"GAMMA\"}" \
	    "{\"text\":\"Delta!\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	test_line_count 3 out &&
	jq -r "[._reject.line, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "4\\tin.jsonl:1\\n5\\tin.jsonl:2\\n6\\tin.jsonl:3\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'FILE:LINE names the operand, or <stdin>' '
	printf "%s\\n" "{\"text\":\"one\"}" "{\"text\":\"two\"}" >a.jsonl &&
	printf "%s\\n" "{\"text\":\"Two.\"}" "{\"text\":\"ONE\"}" >b.jsonl &&
	df-dedup --rejects rej.jsonl a.jsonl b.jsonl >out &&
	test_cmp a.jsonl out &&
	jq -r "[._reject.file, ._reject.line, ._reject.dup_of] | @tsv" \
	    rej.jsonl >actual &&
	printf "b.jsonl\\t1\\ta.jsonl:2\\nb.jsonl\\t2\\ta.jsonl:1\\n" >expect &&
	test_cmp expect actual &&
	cat a.jsonl b.jsonl | df-dedup --rejects rej2.jsonl >out2 &&
	test_cmp a.jsonl out2 &&
	jq -r ._reject.dup_of rej2.jsonl >actual &&
	printf "<stdin>:2\\n<stdin>:1\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'duplicates are found across operands and stdin' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"same text\"}" >a.jsonl &&
	printf "%s\\n" "{\"id\":\"b\",\"text\":\"Same Text\"}" |
	    df-dedup --rejects rej.jsonl a.jsonl - >out &&
	test_cmp a.jsonl out &&
	jq -e "._reject.file == \"<stdin>\" and ._reject.dup_of == \"a\"" \
	    rej.jsonl
'

test_expect_success '--id .meta.key: dup_of is that value' '
	cat >in.jsonl <<-\IN &&
	{"id":"ignored1","meta":{"key":"K1"},"text":"one two three"}
	{"id":"ignored2","meta":{"key":"K2"},"text":"ONE TWO THREE"}
	{"meta":{"key":7},"text":"four five"}
	{"meta":{"key":"K4"},"text":"four, five"}
	{"meta":{},"text":"six"}
	{"meta":{"key":"K6"},"text":"Six"}
	IN
	df-dedup --id .meta.key --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;3p;5p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -c "[.meta.key, ._reject.dup_of]" rej.jsonl >actual &&
	printf "%s\\n" "[\"K2\",\"K1\"]" "[\"K4\",\"7\"]" \
	    "[\"K6\",\"in.jsonl:5\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'a numeric id is reported as a string' '
	printf "%s\\n" "{\"id\":42,\"text\":\"a b c\"}" \
	    "{\"id\":43,\"text\":\"A B C\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	jq -e "._reject.dup_of == \"42\"" rej.jsonl
'

test_expect_success 'an id with quotes, backslashes and accents is kept exact' '
	cat >in.jsonl <<-\IN &&
	{"id":"a\"q\\\\z \u00e9\t","text":"one"}
	{"id":"b","text":"ONE"}
	IN
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n 1p in.jsonl | jq .id >expect &&
	jq ._reject.dup_of rej.jsonl >actual &&
	test_cmp expect actual
'

test_expect_success 'duplicates are not errors: --strict goes on (exit 0)' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"x\"}" \
	    "{\"id\":\"b\",\"text\":\"X\"}" \
	    "{\"id\":\"c\",\"text\":\"y\"}" >in.jsonl &&
	test_expect_code 0 df-dedup --strict --rejects rej.jsonl \
	    in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	test_line_count 1 rej.jsonl
'

test_expect_success 'without --rejects, duplicates are just dropped (exit 0)' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"x y\"}" \
	    "{\"id\":\"b\",\"text\":\"X Y\"}" >in.jsonl &&
	test_expect_code 0 df-dedup in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n 1p in.jsonl >expect &&
	test_cmp expect out &&
	ls >files &&
	printf "%s\\n" err expect files in.jsonl out >expect &&
	sort files >actual &&
	test_cmp expect actual
'

test_done
