#!/bin/sh
# shellcheck disable=SC2016 # eval'd bodies
# df-fetch limits and bodies: --max-bytes after decompression (gzip bomb,
# endless chunked), --timeout on a slow body, redirect loops, charsets
# converted to UTF-8, binary bodies as base64, --mime.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"
# shellcheck source=/dev/null
. "$TEST_DIR/fetch-lib.sh"

test_expect_success 'gzip bomb and endless chunked body stop at --max-bytes' '
	server_start --hosts 1 &&
	b=http://127.0.0.2:$PORT &&
	printf "%s\\n" "$b/gzip-bomb/200000000" "$b/chunked/0" \
	    "$b/chunked/100000" >urls &&
	df-fetch --delay 0 --max-bytes 1M --user-agent "$UA" urls >out &&
	server_stop &&
	jq -r "[.error // \"-\", (.body // \"\" | length)] | @tsv" out >actual &&
	printf "too-large\\t0\\ntoo-large\\t0\\n-\\t100000\\n" >expect &&
	test_cmp expect actual &&
	grep -q "\"accept-encoding\": \".*gzip" server.log
'

test_expect_success 'a body dripping slower than --timeout is cut off' '
	server_start --hosts 1 &&
	echo "http://127.0.0.2:$PORT/slow/100000/200" >urls &&
	df-fetch --delay 0 --timeout 1 --retries 1 --retry-wait 0.1 \
	    --user-agent "$UA" urls >out &&
	server_stop &&
	jq -e ".error == \"timeout\" and .attempts == 2" out
'

test_expect_success 'redirect loops end at --max-redirects' '
	server_start --hosts 1 &&
	printf "%s\\n" "http://127.0.0.2:$PORT/redirect-loop" \
	    "http://127.0.0.2:$PORT/redirect/2" >urls &&
	df-fetch --delay 0 --max-redirects 3 --user-agent "$UA" urls >out &&
	server_stop &&
	jq -r "[.error // \"-\", .attempts] | @tsv" out >actual &&
	printf "redirects\\t4\\n-\\t3\\n" >expect &&
	test_cmp expect actual &&
	test "$(grep -c redirect-loop server.log)" -eq 4
'

test_expect_success 'text in any charset comes out as UTF-8, charset kept' '
	server_start --hosts 1 &&
	for cs in latin-1 cp1252 utf-8 utf-16 iso-8859-15; do
		echo "http://127.0.0.2:$PORT/charset/$cs"
	done >urls &&
	df-fetch --delay 0 --user-agent "$UA" urls >out &&
	server_stop &&
	jq -r "[.charset, .body] | @tsv" out >actual &&
	printf "latin-1\\tcaf\\303\\251 \\303\\274 ?\\n" >expect &&
	printf "cp1252\\tcaf\\303\\251 \\303\\274 \\342\\202\\254\\n" >>expect &&
	printf "utf-8\\tcaf\\303\\251 \\303\\274 \\342\\202\\254\\n" >>expect &&
	printf "utf-16le\\tcaf\\303\\251 \\303\\274 \\342\\202\\254\\n" >>expect &&
	printf "iso-8859-15\\tcaf\\303\\251 \\303\\274 \\342\\202\\254\\n" >>expect &&
	test_cmp expect actual
'

test_expect_success 'binary bodies are base64; --mime skips other types' '
	server_start --hosts 1 &&
	printf "%s\\n" "http://127.0.0.2:$PORT/bytes/1000" \
	    "http://127.0.0.2:$PORT/page/a" >urls &&
	df-fetch --delay 0 --user-agent "$UA" urls >out &&
	head -n 1 out | jq -r .body_b64 | base64 -d >got &&
	test "$(wc -c <got)" -eq 1000 &&
	head -n 1 out | jq -e ".content_type == \"application/octet-stream\"
	    and .charset == null and (has(\"body\") | not)" &&
	df-fetch --delay 0 --mime text/html --user-agent "$UA" urls >out2 &&
	server_stop &&
	jq -r "[.error // \"-\", .content_type] | @tsv" out2 >actual &&
	printf "mime\\tapplication/octet-stream\\n-\\ttext/html; charset=utf-8\\n" \
	    >expect &&
	test_cmp expect actual
'

test_expect_success 'HTTP errors are data: status and error kind' '
	server_start --hosts 1 &&
	printf "%s\\n" "http://127.0.0.2:$PORT/status/404" \
	    "http://127.0.0.2:$PORT/status/410" \
	    "http://127.0.0.2:$PORT/status/204" >urls &&
	test_expect_code 0 df-fetch --delay 0 --user-agent "$UA" urls >out &&
	server_stop &&
	jq -r "[.status, .error // \"-\"] | @tsv" out >actual &&
	printf "404\\thttp-404\\n410\\thttp-410\\n204\\t-\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'unreachable hosts and refused schemes are error records' '
	server_start --hosts 1 &&
	server_stop &&
	printf "%s\\n" "http://127.0.0.2:$PORT/page/a" "ftp://127.0.0.2/x" \
	    "gopher://h/" >urls &&
	df-fetch --delay 0 --retries 1 --retry-wait 0.05 --user-agent "$UA" \
	    urls >out &&
	jq -r ".error" out >actual &&
	printf "robots\\nscheme\\nscheme\\n" >expect &&
	test_cmp expect actual &&
	head -n 1 out | jq -e ".error_detail | test(\"robots.txt unreachable\")"
'

test_expect_success 'file:// URLs are read, with type and size limits' '
	printf "<p>hi</p>" >a.html &&
	printf "\\000\\001\\002" >b.bin &&
	printf "%s\\n" "file://$PWD/a.html" "file://$PWD/b.bin" \
	    "file://$PWD/nosuch" "file://$PWD/a%2Ehtml" >urls &&
	df-fetch urls >out &&
	jq -r "[.status // \"-\", .content_type // \"-\",
	    .body // .body_b64 // .error] | @tsv" out >actual &&
	printf "200\\ttext/html\\t<p>hi</p>\\n" >expect &&
	printf "200\\tapplication/octet-stream\\tAAEC\\n" >>expect &&
	printf "%s\\t%s\\t%s\\n" - - not-found >>expect &&
	printf "200\\ttext/html\\t<p>hi</p>\\n" >>expect &&
	test_cmp expect actual &&
	df-fetch --max-bytes 3 urls >out &&
	head -n 1 out | jq -e ".error == \"too-large\""
'

test_done
