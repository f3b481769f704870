#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-extract keeps the article and leaves out each kind of boilerplate:
# one small hand-written page per rule, the box beside a real article.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

# page BOX: an HTML page with a three-paragraph article and BOX after it.
page () {
	cat <<-EOF
	<html><head><title>Tides of the North Sea</title></head><body>
	<div class="wrapper"><div class="content">
	<p>The tide on the North Sea coast rises twice a day, and the water
	can come in faster than a person walks across the flats.</p>
	<p>Fishermen, birds and walkers all plan their day around it, which
	is why the tide tables are printed in every local paper.</p>
	<p>Storm surges, when wind and tide push the same way, are what the
	dikes along the coast were built against, some of them centuries ago.</p>
	</div>
	$1
	</div></body></html>
	EOF
}

# extract PAGE: the text df-extract finds, on stdout.
extract () {
	jq -Rsc "{id: \"p\", body: .}" "$1" >in.jsonl &&
	df-extract in.jsonl >out.jsonl &&
	test_line_count 1 out.jsonl &&
	jq -r .text out.jsonl
}

# check BOX WORD: the article is kept whole and WORD, from BOX, is gone.
check () {
	page "$1" >page.html &&
	extract page.html >text &&
	grep -q "rises twice a day" text &&
	grep -q "printed in every local paper" text &&
	grep -q "some of them centuries ago" text &&
	test "$(grep -c . text)" -eq 3 &&
	! grep -q "$2" text
}

test_expect_success 'the article alone: three paragraphs, blank lines between' '
	page "" >page.html &&
	extract page.html >text &&
	test_line_count 5 text &&
	sed -n 2p text >blank &&
	echo >expect &&
	test_cmp expect blank
'

test_expect_success 'navigation (<nav>) is left out' '
	check "<nav><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport and weather</a></nav>" "Sport and weather"
'

test_expect_success 'a menu by class is left out' '
	check "<div class=\"main-menu\"><p>Browse all the sections of our website here today.</p></div>" "Browse all"
'

test_expect_success 'headers and footers are left out' '
	check "<header><p>The Coastal Gazette, your daily paper since eighteen ninety.</p></header><footer><p>Contact the newsroom at any time of the day or night.</p></footer>" "newsroom\\|Gazette"
'

test_expect_success 'a cookie banner is left out' '
	check "<div id=\"cookie-consent\"><p>We use cookies to improve your experience. By continuing you accept all cookies.</p></div>" "cookies"
'

test_expect_success 'a newsletter box is left out' '
	check "<div class=\"newsletter-signup\"><p>Get the best stories of the week delivered to your inbox every Friday.</p></div>" "inbox"
'

test_expect_success 'a share box is left out' '
	check "<div class=\"share-tools\"><a href=#>Share on Facebook</a> <a href=#>Share on Twitter</a> <a href=#>Email this story</a></div>" "Share on"
'

test_expect_success 'related articles are left out' '
	check "<div class=\"related-articles\"><h3>More stories</h3><ul><li><a href=/a>Seals return to the sandbanks in record numbers</a></li><li><a href=/b>New ferry timetable for the islands</a></li></ul></div>" "Seals\\|ferry"
'

test_expect_success 'comments are left out' '
	check "<div id=\"comments\"><p>What a lovely article about the sea and the tides, thank you!</p><p>I walked the flats last summer and nearly got caught by the water.</p></div>" "lovely\\|walked the flats"
'

test_expect_success 'ads are left out' '
	check "<div class=\"ad-container\"><p>Buy the best rain jackets for the coast now at half price in our shop.</p></div>" "rain jackets"
'

test_expect_success 'an aside is left out' '
	check "<aside><p>Did you know that the Wadden Sea is a UNESCO World Heritage Site since 2009?</p></aside>" "UNESCO"
'

test_expect_success 'hidden elements are left out' '
	check "<div style=\"display: none\"><p>This text is hidden from every reader of the page by its style.</p></div><p hidden>Hidden by the attribute, so nobody sees this sentence at all.</p>" "hidden\\|Hidden"
'

test_expect_success 'scripts, styles and forms are left out' '
	check "<script>var tideWarning = \"high water\";</script><style>.tideWarning { color: red }</style><form><input name=q><button>Search the archive</button></form>" "tideWarning\\|Search"
'

test_expect_success 'a link-dense block inside the article is left out' '
	page "" | sed "s|</div>|<p><a href=/1>Tides</a> <a href=/2>Storms and surges</a> <a href=/3>Dikes of the coast</a></p></div>|" >page.html &&
	extract page.html >text &&
	grep -q "rises twice a day" text &&
	! grep -q "Dikes of the coast" text
'

test_expect_success 'figure captions are left out' '
	page "" | sed "s|<p>Fishermen|<figure><img src=x.jpg><figcaption>Low tide at the harbour, photographed in May.</figcaption></figure><p>Fishermen|" >page.html &&
	extract page.html >text &&
	grep -q "Fishermen" text &&
	! grep -q "photographed" text
'

test_expect_success 'the headline and a newsletter line at the edges are left out' '
	page "" | sed "s|<p>The tide|<h1>Tides of the North Sea</h1><p>The tide|; s|centuries ago.</p>|centuries ago.</p><p>Sign up for our newsletter to get more stories like this.</p>|" >page.html &&
	extract page.html >text &&
	! grep -q "Tides of the North Sea" text &&
	! grep -q "Sign up" text &&
	test "$(grep -c . text)" -eq 3
'

test_expect_success 'a boilerplate class does not cut an article container' '
	cat >page.html <<-\EOF &&
	<html><body><div class="layout with-sidebar"><article>
	<p>The tide on the North Sea coast rises twice a day, and the water
	can come in faster than a person walks across the flats.</p>
	<p>Fishermen, birds and walkers all plan their day around it.</p>
	</article><div class="sidebar"><p>Popular this week: ten walks along the dike.</p></div></div></body></html>
	EOF
	extract page.html >text &&
	grep -q "rises twice a day" text &&
	grep -q "Fishermen" text &&
	! grep -q "Popular" text
'

test_expect_success 'an embedded post in a social box is kept' '
	page "" | sed "s|<p>Fishermen|<div class=\"social-embed\"><blockquote class=\"twitter-tweet\"><p>The water came up to the car park this morning, never seen it so high.</p></blockquote></div><p>Fishermen|" >page.html &&
	extract page.html >text &&
	grep -q "car park this morning" text
'

test_done
