#!/bin/sh
# shellcheck disable=SC2016,SC2034 # eval'd bodies use the variables set here
# df-extract decodes pages given as bytes the HTML5 way: BOM, transport
# charset, <meta>, then detection; it overrules the common lies and
# always writes valid UTF-8, normalised as --normalize says.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# latin1 HEAD: an ISO-8859-1 page (bytes) with HEAD in its <head>.
latin1 () {
	printf "<html><head>%s</head><body><article><p>Caf\\351 cr\\350me br\\373l\\351e, d\\351j\\340 vu et na\\357ve, des mots fran\\347ais pour le test.</p></article></body></html>" "$1"
}
expect_fr="Café crème brûlée, déjà vu et naïve, des mots français pour le test."

# b64rec FILE [CHARSET]: a record with FILE's bytes in .body_b64.
b64rec () {
	if [ -n "${2:-}" ]; then
		base64 -w 0 "$1" | jq -Rc --arg cs "$2" "{id: \"p\", body_b64: ., charset: \$cs}"
	else
		base64 -w 0 "$1" | jq -Rc "{id: \"p\", body_b64: .}"
	fi
}

test_expect_success '<meta charset> is followed' '
	latin1 "<meta charset=\"iso-8859-1\">" >p.html &&
	b64rec p.html >in.jsonl &&
	df-extract --min-chars 0 in.jsonl | jq -r .text >actual &&
	echo "$expect_fr" >expect &&
	test_cmp expect actual
'

test_expect_success '<meta http-equiv> content charset is followed' '
	latin1 "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "$expect_fr" >expect &&
	test_cmp expect actual
'

test_expect_success 'the transport charset wins over <meta>' '
	latin1 "<meta charset=\"koi8-r\">" >p.html &&
	b64rec p.html ISO-8859-1 >in.jsonl &&
	df-extract --min-chars 0 in.jsonl | jq -r .text >actual &&
	echo "$expect_fr" >expect &&
	test_cmp expect actual
'

test_expect_success 'a BOM wins over everything' '
	printf "\\357\\273\\277<html><head><meta charset=\"iso-8859-1\"></head><body><p>Stra\\303\\237e und Gr\\303\\274\\303\\237e, ein deutscher Satz f\\303\\274r den Test.</p></body></html>" >p.html &&
	b64rec p.html windows-1252 >in.jsonl &&
	df-extract --min-chars 0 in.jsonl | jq -r .text >actual &&
	echo "Straße und Grüße, ein deutscher Satz für den Test." >expect &&
	test_cmp expect actual
'

test_expect_success 'UTF-16 with a BOM' '
	printf "<html><body><p>Zw\\303\\266lf Boxk\\303\\244mpfer jagen Viktor quer \\303\\274ber den Sylter Deich.</p></body></html>" |
	    iconv -f UTF-8 -t UTF-16 >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "Zwölf Boxkämpfer jagen Viktor quer über den Sylter Deich." >expect &&
	test_cmp expect actual
'

test_expect_success 'no declaration, not UTF-8: detected' '
	latin1 "" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "$expect_fr" >expect &&
	test_cmp expect actual
'

test_expect_success 'Shift_JIS by <meta>' '
	printf "<html><head><meta charset=\"shift_jis\"></head><body><p>\\346\\275\\256\\343\\201\\214\\346\\272\\200\\343\\201\\241\\343\\201\\246\\343\\201\\204\\343\\201\\276\\343\\201\\231\\343\\200\\202</p></body></html>" |
	    iconv -f UTF-8 -t SHIFT_JIS >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "潮が満ちています。" >expect &&
	test_cmp expect actual
'

test_expect_success 'a declared UTF-8 that is not: detected instead' '
	latin1 "<meta charset=\"utf-8\">" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "$expect_fr" >expect &&
	test_cmp expect actual
'

test_expect_success 'a declared Latin-1 on UTF-8 bytes: read as UTF-8' '
	latin1 "<meta charset=\"iso-8859-1\">" | iconv -f ISO-8859-1 -t UTF-8 |
	    sed "s/iso-8859-1/ISO-8859-1/" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "$expect_fr" >expect &&
	test_cmp expect actual
'

test_expect_success 'invalid bytes in UTF-8 (by BOM) become U+FFFD' '
	printf "\\357\\273\\277<html><body><p>Good text, then a bad byte \\377 and a cut sequence \\342\\202 here.</p></body></html>" >p.html &&
	b64rec p.html >in.jsonl &&
	df-extract --min-chars 0 in.jsonl >out.jsonl &&
	jq -r .text out.jsonl >actual &&
	iconv -f UTF-8 -t UTF-8 actual >/dev/null &&
	grep -o "$(printf "\\357\\277\\275")" actual | wc -l >n &&
	echo 2 >expect &&
	test_cmp expect n
'

test_expect_success 'a .body string is taken as decoded text, BOM and NUL dropped' '
	printf "{\"id\":\"p\",\"body\":\"\\\\ufeff<p>caf\\\\u00e9 au lait\\\\u0000 and more</p>\"}\\n" >in.jsonl &&
	df-extract --min-chars 0 in.jsonl | jq -r .text >actual &&
	echo "café au lait and more" >expect &&
	test_cmp expect actual
'

test_expect_success '--normalize: NFC by default, NFKC, or none' '
	printf "{\"id\":\"p\",\"body\":\"<p>Cafe\\\\u0301 \\\\ufb01ne</p>\"}\\n" >in.jsonl &&
	df-extract --min-chars 0 in.jsonl | jq -r .text >nfc &&
	printf "Caf\\303\\251 \\357\\254\\201ne\\n" >expect &&
	test_cmp expect nfc &&
	df-extract --min-chars 0 --normalize nfkc in.jsonl | jq -r .text >nfkc &&
	printf "Caf\\303\\251 fine\\n" >expect &&
	test_cmp expect nfkc &&
	df-extract --min-chars 0 --normalize none in.jsonl | jq -r .text >none &&
	printf "Cafe\\314\\201 \\357\\254\\201ne\\n" >expect &&
	test_cmp expect none &&
	test_expect_code 2 df-extract --normalize nfd in.jsonl 2>err &&
	grep "^df-extract: --normalize" err
'

test_done
