#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-judge counts e-mail addresses, phone numbers, IP addresses and
# Luhn-valid card numbers; --redact-pii replaces them in the text.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# The bad-word lists and tokenizer ranks of this tree, whichever build runs.
DF_DATADIR=$SRC_DIR/data
export DF_DATADIR

make_input () {
	cat >in.jsonl <<-\IN
	{"id":"a","text":"Write to jo@example.com or call +1 415 555 0100.","src":"x"}
	{"id":"b","text":"Card 4111 1111 1111 1111 from 10.0.0.1 and 2001:db8::1."}
	{"id":"c","text":"Not PII: 4111 1111 1111 1112, 999.1.1.1, 10:30:00, user@localhost."}
	IN
}

test_expect_success 'PII counts' '
	make_input &&
	df-judge --signals pii in.jsonl >out &&
	jq -c "[.id, .scores.pii]" out >actual &&
	cat >expect <<-\EOF &&
	["a",{"email":1,"phone":1,"ip":0,"card":0}]
	["b",{"email":0,"phone":0,"ip":2,"card":1}]
	["c",{"email":0,"phone":0,"ip":0,"card":0}]
	EOF
	test_cmp expect actual &&
	df-judge --signals pii in.jsonl | jq -r .text >actual &&
	jq -r .text in.jsonl >expect &&
	test_cmp expect actual
'

test_expect_success '--redact-pii replaces them; counts are of the original' '
	make_input &&
	df-judge --signals pii --redact-pii in.jsonl >out &&
	jq -r .text out >actual &&
	cat >expect <<-\EOF &&
	Write to [EMAIL] or call [PHONE].
	Card [CARD] from [IP] and [IP].
	Not PII: 4111 1111 1111 1112, 999.1.1.1, 10:30:00, user@localhost.
	EOF
	test_cmp expect actual &&
	jq -e -s ".[0].src == \"x\" and .[1].scores.pii.ip == 2" out &&
	df-judge --keep ".scores.pii | .email + .phone + .card == 0" \
	    --signals pii in.jsonl | jq -r .id >actual &&
	echo c >expect &&
	test_cmp expect actual
'

test_done
