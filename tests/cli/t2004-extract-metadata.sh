#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-extract's metadata: JSON-LD first, then OpenGraph and <meta>, then
# the document and the URL; dates in ISO 8601; null when not stated.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

body='<body><article><p>The tide on the North Sea coast rises twice a day, and the water can come in fast.</p></article></body></html>'

# meta HEAD [URL]: the metadata df-extract reads from a page with HEAD.
meta () {
	printf "<html lang=\"de\"><head>%s</head>%s" "$1" "$body" >p.html &&
	jq -Rsc --arg url "${2:-}" "{id: \"p\", url: \$url, body: .}" p.html >in.jsonl &&
	df-extract --min-chars 0 in.jsonl >out.jsonl &&
	jq -c "del(.id, .url, .text)" out.jsonl
}

test_expect_success 'every field, from JSON-LD and meta tags' '
	meta "<title>Tides rise | Coast News</title>
	<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",
	 \"headline\":\"Tides rise on the coast\",\"datePublished\":\"2019-11-18T09:30:00-05:00\",
	 \"dateModified\":\"2019-11-19T10:00:00Z\",\"author\":[{\"@type\":\"Person\",\"name\":\"Ann Smith\"},{\"name\":\"Bo Li\"}],
	 \"publisher\":{\"@type\":\"Organization\",\"name\":\"Coast News\"},\"image\":{\"url\":\"/img/tide.jpg\"},
	 \"description\":\"How the tide works.\"}</script>
	<link rel=\"canonical\" href=\"/news/tides\">" "https://example.org/x/y?z=1" >actual &&
	cat >expect <<-\EOF &&
	{"title":"Tides rise on the coast","author":"Ann Smith, Bo Li","date":"2019-11-18T09:30:00-05:00","date_modified":"2019-11-19T10:00:00Z","lang":"de","description":"How the tide works.","site_name":"Coast News","canonical_url":"https://example.org/news/tides","image":"https://example.org/img/tide.jpg","page_type":"NewsArticle"}
	EOF
	test_cmp expect actual
'

test_expect_success 'JSON-LD in an @graph' '
	meta "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"Tide Blog\"},
	 {\"@type\":\"BlogPosting\",\"headline\":\"Spring tides\",\"datePublished\":\"2020-03-01\"}]}</script>" >actual &&
	jq -e ".title == \"Spring tides\" and .site_name == \"Tide Blog\" and
	    .date == \"2020-03-01\" and .page_type == \"BlogPosting\"" actual
'

test_expect_success 'OpenGraph and meta tags' '
	meta "<meta property=\"og:title\" content=\"Neap tides\">
	<meta property=\"og:site_name\" content=\"Sea Times\">
	<meta property=\"og:type\" content=\"article\">
	<meta property=\"og:image\" content=\"https://cdn.example.org/a.jpg\">
	<meta name=\"description\" content=\"All about neap tides.\">
	<meta name=\"author\" content=\"By Cy Doe\">
	<meta property=\"article:published_time\" content=\"2018-07-04T12:00:00+0200\">
	<meta property=\"article:modified_time\" content=\"2018-07-04T12:00:00+0200\">
	<meta property=\"og:locale\" content=\"en_GB\">" >actual &&
	jq -e ".title == \"Neap tides\" and .site_name == \"Sea Times\" and
	    .page_type == \"article\" and .image == \"https://cdn.example.org/a.jpg\" and
	    .description == \"All about neap tides.\" and .author == \"Cy Doe\" and
	    .date == \"2018-07-04T12:00:00+02:00\" and .date_modified == null and
	    .lang == \"de\"" actual
'

test_expect_success 'no stated site name: the end of the <title> after the headline' '
	meta "<title>Neap tides  - Sea  Times</title>
	<meta property=\"og:title\" content=\"Neap tides\">" >actual &&
	jq -c "[.title, .site_name]" actual >got &&
	echo "[\"Neap tides\",\"Sea Times\"]" >expect &&
	test_cmp expect got &&
	meta "<title>Neap tides - Sea Times</title>" https://seatimes.example/a >actual &&
	jq -c "[.title, .site_name]" actual >got &&
	test_cmp expect got &&
	meta "<title>Tides, and why - a primer</title>
	<meta property=\"og:title\" content=\"Neap tides\">" >actual &&
	jq -c "[.title, .site_name]" actual >got &&
	echo "[\"Neap tides\",null]" >expect &&
	test_cmp expect got
'

test_expect_success 'a site name with a tagline or keywords: the name' '
	meta "<meta property=\"og:site_name\" content=\"Tide Blog | Tides | Moon | Sea\">" >actual &&
	jq -r .site_name actual >got &&
	echo "Tide Blog" >expect && test_cmp expect got &&
	meta "<meta property=\"og:site_name\" content=\"Tide Blog - all about the sea\">" >actual &&
	jq -r .site_name actual >got &&
	test_cmp expect got &&
	meta "<meta property=\"og:site_name\" content=\"A-Z Tides\">" >actual &&
	jq -r .site_name actual >got &&
	echo "A-Z Tides" >expect && test_cmp expect got
'

test_expect_success 'an element named the publication date, when nothing else says' '
	printf "<html><head><title>Tides</title></head><body><input type=\"hidden\" class=\"published_date\" value=\"2019-11-18 23:41:18\">%s" "$body" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .date >actual &&
	echo 2019-11-18T23:41:18 >expect &&
	test_cmp expect actual &&
	printf "<html><head><title>Tides</title></head><body><span class=\"entry-date\">18 Nov 2019</span><span class=\"modified_date\">20 Nov 2019</span>%s" "$body" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .date >actual &&
	echo 2019-11-18 >expect &&
	test_cmp expect actual &&
	printf "<html><head><title>Tides</title><meta property=\"article:published_time\" content=\"2020-01-02\"></head><body><span class=\"pubdate\">18 Nov 2019</span>%s" "$body" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .date >actual &&
	echo 2020-01-02 >expect &&
	test_cmp expect actual
'

test_expect_success 'the title without the site name; og:locale when no lang' '
	printf "<html><head><title>Tides rise again - Sea Times</title><meta property=\"og:site_name\" content=\"Sea Times\"><meta property=\"og:locale\" content=\"en_GB\"></head>%s" "$body" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -c "[.title, .lang]" >actual &&
	echo "[\"Tides rise again\",\"en-GB\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'dates in other spellings become ISO 8601' '
	for d in "Tue, 05 Nov 2019 10:20:30 GMT" "November 5, 2019" "5 Nov 2019" \
	    "2019/11/05" "20191105"; do
		meta "<meta name=\"pubdate\" content=\"$d\">" | jq -r .date || return 1
	done >actual &&
	printf "%s\\n" 2019-11-05T10:20:30Z 2019-11-05 2019-11-05 2019-11-05 2019-11-05 >expect &&
	test_cmp expect actual
'

test_expect_success 'date from <time datetime>, else from the URL' '
	meta "" | jq -r .date >none &&
	echo null >expect &&
	test_cmp expect none &&
	meta "" "https://example.org/2021/06/30/tides" | jq -r .date >url &&
	echo 2021-06-30 >expect &&
	test_cmp expect url &&
	body="<body><article><time datetime=\"2022-01-02T03:04\">Jan 2</time><p>The tide on the North Sea coast rises twice a day, and the water can come in fast.</p></article></body></html>" &&
	meta "" "https://example.org/2021/06/30/tides" | jq -r .date >time &&
	echo 2022-01-02T03:04:00 >expect &&
	test_cmp expect time
'

test_expect_success 'not stated: null, and every key is there' '
	printf "<p>The tide on the North Sea coast rises twice a day, and the water can come in fast.</p>" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -c "[keys_unsorted[], (del(.text, .path) | map(.) | unique)]" >actual &&
	echo "[\"path\",\"text\",\"title\",\"author\",\"date\",\"date_modified\",\"lang\",\"description\",\"site_name\",\"canonical_url\",\"image\",\"page_type\",[null]]" >expect &&
	test_cmp expect actual
'

test_expect_success 'a JSON-LD articleBody when the page shows no text' '
	printf "<html><head><script type=\"application/ld+json\">{\"@type\":\"Article\",\"articleBody\":\"The whole text of the article, as the page gives it in its structured data.\"}</script></head><body><div id=app></div></body></html>" >p.html &&
	df-extract --html --min-chars 0 p.html | jq -r .text >actual &&
	echo "The whole text of the article, as the page gives it in its structured data." >expect &&
	test_cmp expect actual
'

test_expect_success 'broken JSON-LD is ignored' '
	meta "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":</script><title>Plain title</title>" >actual &&
	jq -e ".title == \"Plain title\"" actual
'

test_done
