#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-dedup beyond English: Malayalam and Hindi words keep their vowel
# signs (marks), so word shingles work there; Chinese, Japanese and Thai
# are written without spaces, so they need --shingle chars:N.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# text SCRIPT SEED N: N units of pseudo-text in SCRIPT, one a line: words
# for ml (Malayalam) and hi (Hindi), code points for zh (CJK ideographs)
# and th (Thai syllables), the same for the same SEED.
text () {
	awk -v script="$1" -v seed="$2" -v n="$3" '
	function rnd(k) {
		x = (x * 16807) % 2147483647
		return int(x / 256) % k
	}
	function utf8(cp) {
		return sprintf("%c%c%c", 224 + int(cp / 4096),
		    128 + int(cp / 64) % 64, 128 + cp % 64)
	}
	# A word of 2 to 4 syllables: a consonant from 0 to 36 after
	# base, then 7 times in 10 one of the signs (offsets from base).
	function word(base, ns, sign,    w, k, j) {
		w = ""
		k = 2 + rnd(3)
		for (j = 0; j < k; j++) {
			w = w utf8(base + 21 + rnd(37))
			if (rnd(10) < 7)
				w = w utf8(base + sign[1 + rnd(ns)])
		}
		return w
	}
	BEGIN {
		x = (seed * 7919 + 17) % 2147483647
		# Vowel signs, anusvara and virama, as offsets from the block.
		nml = split("62 63 64 65 66 70 71 72 74 75 2 77", ml, " ")
		nhi = split("62 63 64 65 66 71 72 75 76 2 77", hi, " ")
		nth = split("49 50 52 53 54 55 56 72 73", th, " ")
		for (i = 0; i < n; i++)
			if (script == "ml")
				print word(3328, nml, ml)	# U+0D00
			else if (script == "hi")
				print word(2304, nhi, hi)	# U+0900
			else if (script == "zh")
				print utf8(19968 + rnd(3000))	# U+4E00
			else if (rnd(10) < 6)
				print utf8(3585 + rnd(46)) \
				    utf8(3584 + th[1 + rnd(nth)])
			else
				print utf8(3585 + rnd(46))	# U+0E01
	}'
}

# record ID SEP: one record of the units on stdin joined by SEP.
record () {
	awk -v id="$1" -v sep="$2" '{ t = t (NR > 1 ? sep : "") $0 } END {
		printf "{\"id\":\"%s\",\"text\":\"%s\"}\n", id, t
	}'
}

# change FROM TO: units FROM..TO of stdin become others (of the script).
change () {
	awk -v a="$1" -v b="$2" '
	    NR >= a && NR <= b { print prev; next } { prev = $0; print }'
}

test_expect_success 'Malayalam: vowel signs are part of the word' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"കാട് മല\"}" \
	    "{\"id\":\"b\",\"text\":\"ക ട മല\"}" \
	    "{\"id\":\"c\",\"text\":\"കാട്, മല!\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;2p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "c\\ta\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'Hindi: vowel signs and virama are part of the word' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"हिन्दी भाषा\"}" \
	    "{\"id\":\"b\",\"text\":\"ह न द भ ष\"}" \
	    "{\"id\":\"c\",\"text\":\"हिन्दी, भाषा।\"}" >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;2p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "c\\ta\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'Malayalam near duplicates are found with word shingles' '
	{
		text ml 1 300 | record a " " &&
		text ml 2 300 | record b " " &&
		text ml 1 300 | change 100 111 | record c " " &&
		{ text ml 1 300 && text ml 9 6; } | record d " " &&
		text ml 3 300 | record e " "
	} >in.jsonl &&
	test_expect_code 0 df-dedup --rejects rej.jsonl in.jsonl >out 2>err &&
	test_must_be_empty err &&
	sed -n "1p;2p;5p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.reason, ._reject.dup_of] | @tsv" rej.jsonl \
	    >actual &&
	printf "%s\\tnear-duplicate\\ta\\n" c d >expect &&
	test_cmp expect actual &&
	jq -e -s "all(._reject.similarity >= 0.8)" rej.jsonl
'

test_expect_success 'Hindi near duplicates are found with word shingles' '
	{
		text hi 1 300 | record a " " &&
		text hi 1 300 | change 200 211 | record b " " &&
		text hi 2 300 | record c " "
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -e ".id == \"b\" and ._reject.reason == \"near-duplicate\"" \
	    rej.jsonl
'

test_expect_success 'CJK without spaces: only chars:3 finds the variants' '
	{
		text zh 1 400 | record a "" &&
		text zh 1 400 | change 200 204 | record b "" &&
		{ text zh 1 400 && printf "%s\\n" 版 权 所 有; } | record c "" &&
		text zh 2 400 | record d "" &&
		text zh 1 400 | change 50 52 |
		    awk "NR % 100 == 0 { \$0 = \$0 \"，\" } 1" | record e ""
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	test_cmp in.jsonl out &&
	test_must_be_empty rej.jsonl &&
	df-dedup --shingle chars:3 --rejects rej.jsonl --stats st.json \
	    in.jsonl >out &&
	sed -n "1p;4p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.reason, ._reject.dup_of] | @tsv" rej.jsonl \
	    >actual &&
	printf "%s\\tnear-duplicate\\ta\\n" b c e >expect &&
	test_cmp expect actual &&
	jq -e ".near_duplicates == 3 and .kept == 2" st.json
'

test_expect_success 'Thai without spaces: chars:3 finds the variants' '
	{
		text th 1 300 | record a "" &&
		text th 2 300 | record b "" &&
		text th 1 300 | change 150 153 | record c "" &&
		text th 1 300 | awk "NR % 100 == 0 { \$0 = \$0 \" \" } 1" |
		    record d ""
	} >in.jsonl &&
	df-dedup --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;2p;3p;4p" in.jsonl >expect &&
	test_cmp expect out &&
	df-dedup --shingle chars:3 --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;2p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -r "[.id, ._reject.dup_of] | @tsv" rej.jsonl >actual &&
	printf "c\\ta\\nd\\ta\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'chars mode: exact duplicates still fold case and spacing' '
	printf "%s\\n" "{\"id\":\"a\",\"text\":\"東京タワー Tokyo\"}" \
	    "{\"id\":\"b\",\"text\":\"東京タワー,  TOKYO!\"}" \
	    "{\"id\":\"c\",\"text\":\"大阪城\"}" >in.jsonl &&
	df-dedup --shingle chars:3 --rejects rej.jsonl in.jsonl >out &&
	sed -n "1p;3p" in.jsonl >expect &&
	test_cmp expect out &&
	jq -e "._reject.reason == \"exact-duplicate\" and
	    ._reject.dup_of == \"a\"" rej.jsonl
'

test_expect_success '--shingle words is the default' '
	{
		text zh 3 300 | record a "" &&
		text zh 3 300 | change 10 12 | record b ""
	} >in.jsonl &&
	df-dedup in.jsonl >expect &&
	df-dedup --shingle words in.jsonl >out &&
	test_cmp expect out &&
	test_line_count 2 out &&
	df-dedup --shingle chars:2 in.jsonl >out &&
	test_line_count 1 out &&
	df-dedup --shingle chars:5 in.jsonl >out &&
	test_line_count 1 out
'

test_expect_success 'a zero-width joiner stays inside a word' '
	printf "%s\n" \
	    "{\"id\":\"a\",\"text\":\"\u0d28\u0d4d\u200d x\"}" \
	    "{\"id\":\"b\",\"text\":\"\u0d28\u0d4d x\"}" >in.jsonl &&
	df-dedup in.jsonl >out &&
	test_line_count 2 out
'

test_expect_success '--against - with input on stdin too is a usage error' '
	echo "{\"text\":\"a\"}" >r.jsonl &&
	test_expect_code 2 df-dedup --against - <r.jsonl >out 2>err &&
	grep -q "name the input files" err &&
	df-dedup --against - r.jsonl <r.jsonl >out &&
	test_must_be_empty out
'

test_done
