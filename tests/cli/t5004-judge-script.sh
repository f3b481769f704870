#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-judge --script CODE --min-script-ratio R keeps documents with at
# least R of their letters in that script: Malayalam, English, and pages
# that mix them.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The bad-word lists and tokenizer ranks of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

make_input () {
	cat >in.jsonl <<-\IN
	{"id":"ml","text":"മലയാളം ഇന്ത്യയിലെ കേരള സംസ്ഥാനത്തിലെ പ്രധാന ഭാഷയാണ്. ലക്ഷദ്വീപിലും പുതുച്ചേരിയിലെ മാഹിയിലും ഈ ഭാഷ സംസാരിക്കുന്നു."}
	{"id":"en","text":"Malayalam is the main language of the state of Kerala in India, and it is also spoken in Lakshadweep."}
	{"id":"mixed","text":"കേരളം Kerala കൊച്ചി Kochi"}
	{"id":"mostly-ml","text":"മലയാളം ഇന്ത്യയിലെ കേരള സംസ്ഥാനത്തിലെ പ്രധാന ഭാഷയാണ് (Malayalam)."}
	{"id":"digits","text":"2024 - 42 % ... !!"}
	IN
}

# Shares count letters and combining signs (the vowel signs and virama of
# Malayalam), largest first; 46 Malayalam code points and 9 Latin letters
# make 0.836364.
test_expect_success 'script shares: every letter and sign in its script' '
	make_input &&
	df-judge --signals script,lang in.jsonl >out &&
	jq -c "[.id, .scores.script]" out >actual &&
	cat >expect <<-\EOF &&
	["ml",{"Mlym":1}]
	["en",{"Latn":1}]
	["mixed",{"Latn":0.5,"Mlym":0.5}]
	["mostly-ml",{"Mlym":0.836364,"Latn":0.163636}]
	["digits",{}]
	EOF
	test_cmp expect actual &&
	jq -r "select(.id == \"ml\" or .id == \"en\") | .scores.lang" out \
	    >actual &&
	printf "%s\\n" ml en >expect &&
	test_cmp expect actual
'

test_expect_success '--script Mlym --min-script-ratio 0.7 keeps Malayalam' '
	make_input &&
	df-judge --script Mlym --min-script-ratio 0.7 --rejects rej.jsonl \
	    --stats st.json in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" ml mostly-ml >expect &&
	test_cmp expect actual &&
	jq -r "[.id, ._reject.reason] | @tsv" rej.jsonl >actual &&
	printf "en\\tscript_ratio\\nmixed\\tscript_ratio\\ndigits\\tscript_ratio\\n" \
	    >expect &&
	test_cmp expect actual &&
	jq -e ".rules == {\"script_ratio\":{\"failed\":3,\"only\":3}}" st.json
'

test_expect_success 'the ratio is a bound: 0.5 keeps a half-Malayalam page' '
	make_input &&
	df-judge --script Mlym --min-script-ratio 0.5 in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" ml mixed mostly-ml >expect &&
	test_cmp expect actual &&
	df-judge --script Latn --min-script-ratio 0.5 in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" en mixed >expect &&
	test_cmp expect actual
'

test_expect_success 'a language rule and a script rule together' '
	make_input &&
	df-judge --script Mlym --lang ml --keep ".scores.lang == \"ml\" and
	    .scores.lang_score >= 0.9" --rejects rej.jsonl in.jsonl >out &&
	jq -r .id out >actual &&
	printf "%s\\n" ml mostly-ml >expect &&
	test_cmp expect actual &&
	jq -c "select(.id == \"mixed\") | ._reject.rules" rej.jsonl >actual &&
	echo "[\"keep\"]" >expect &&
	test_cmp expect actual
'

test_done
