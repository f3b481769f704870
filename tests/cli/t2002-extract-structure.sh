#!/bin/sh
# shellcheck disable=SC2016,SC2034 # eval'd bodies use the variables set here
# df-extract's text and markdown: headings, lists, quotes, code verbatim,
# tables, whitespace, entities; the markdown of a whole page against a
# golden file.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

data=$TEST_DIR/../data/extract

# extract PAGE ARGS...: the text df-extract finds in PAGE, on stdout.
extract () {
	_p=$1
	shift
	df-extract --html --min-chars 0 "$@" "$_p" >out.jsonl &&
	test_line_count 1 out.jsonl &&
	jq -r .text out.jsonl
}

test_expect_success 'markdown of a whole page matches the golden file' '
	extract "$data/recipe.html" -f markdown >actual &&
	test_cmp "$data/recipe.md" actual
'

test_expect_success 'the golden page as text: no markup, same words' '
	extract "$data/recipe.html" >text &&
	! grep -q "^#\\|^- \\|^> \\|^\`\`\`\\|---" text &&
	sed -E "s/^([0-9]+\\. |- |> |#+ )//" "$data/recipe.md" |
	    tr -cs "[:alnum:]" "\\n" | grep -v "^python$" >w1 &&
	tr -cs "[:alnum:]" "\\n" <text >w2 &&
	test_cmp w1 w2
'

test_expect_success 'headings keep their levels in markdown; the h1 headline goes' '
	cat >p.html <<-\EOF &&
	<article><h1>Headline</h1><p>First paragraph of the article, with a few words.</p>
	<h2>Part two</h2><p>Second paragraph of the article, with a few words.</p>
	<h4>Deeper</h4><p>Third paragraph of the article, with a few words.</p></article>
	EOF
	extract p.html -f markdown >actual &&
	printf "%s\\n" "First paragraph of the article, with a few words." "" \
	    "## Part two" "" "Second paragraph of the article, with a few words." \
	    "" "#### Deeper" "" "Third paragraph of the article, with a few words." >expect &&
	test_cmp expect actual
'

test_expect_success 'nested and ordered lists' '
	cat >p.html <<-\EOF &&
	<article><p>Here is what the list of things to pack looks like, in short.</p>
	<ul><li>boots<ul><li>left</li><li>right</li></ul></li><li>map</li></ul>
	<ol><li>pack</li><li>walk</li></ol></article>
	EOF
	extract p.html -f markdown >actual &&
	printf "%s\\n" "Here is what the list of things to pack looks like, in short." "" \
	    "- boots" "  - left" "  - right" "- map" "" "1. pack" "2. walk" >expect &&
	test_cmp expect actual
'

test_expect_success 'pre and code survive verbatim, whitespace intact' '
	printf "<article><p>The program below prints a triangle of stars, line by line.</p><pre>  *\\n *** \\n*****\\n\\tend</pre></article>" >p.html &&
	extract p.html >actual &&
	printf "%s\\n" "The program below prints a triangle of stars, line by line." "" "  *" " *** " "*****" >expect &&
	printf "\\tend\\n" >>expect &&
	test_cmp expect actual &&
	extract p.html -f markdown >actual &&
	grep -q "^\`\`\`\$" actual &&
	grep -q "^ \\*\\*\\* \$" actual
'

test_expect_success 'a fence longer than the backticks inside the code' '
	printf "<article><p>Markdown uses three backticks to fence code, like this.</p><pre>\`\`\`\\ncode\\n\`\`\`</pre></article>" >p.html &&
	extract p.html -f markdown >actual &&
	grep -c "^\`\`\`\`\$" actual >n &&
	echo 2 >expect &&
	test_cmp expect n
'

test_expect_success 'tables: pipe table in markdown, cells on a line in text' '
	cat >p.html <<-\EOF &&
	<article><p>The tide table for the week ahead, in hours and metres.</p>
	<table><thead><tr><th>Day</th><th>High | m</th></tr></thead>
	<tbody><tr><td>Mon</td><td>2.1</td></tr><tr><td>Tue</td></tr></tbody></table></article>
	EOF
	extract p.html -f markdown >actual &&
	printf "%s\\n" "The tide table for the week ahead, in hours and metres." "" \
	    "| Day | High \\| m |" "| --- | --- |" "| Mon | 2.1 |" "| Tue |  |" >expect &&
	test_cmp expect actual &&
	extract p.html >actual &&
	printf "%s\\n" "The tide table for the week ahead, in hours and metres." "" \
	    "Day | High | m" "Mon | 2.1" "Tue" >expect &&
	test_cmp expect actual
'

test_expect_success 'block quotes' '
	cat >p.html <<-\EOF &&
	<article><p>The harbour master said this about the storm last night.</p>
	<blockquote><p>Never seen water this high.</p><p>Stay off the dike.</p></blockquote></article>
	EOF
	extract p.html -f markdown >actual &&
	printf "%s\\n" "The harbour master said this about the storm last night." "" \
	    "> Never seen water this high." ">" "> Stay off the dike." >expect &&
	test_cmp expect actual
'

test_expect_success 'whitespace collapsed, entities decoded, inline markup joins words' '
	printf "<article><p>  Caf&eacute;\\n\\n   &amp;   <b>bar</b>n &lt;3&gt; &#x263A;  non&nbsp;breaking  </p></article>" >p.html &&
	extract p.html >actual &&
	printf "Café & barn <3> ☺ non breaking\\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a line break stays a line break in text' '
	printf "<article><p>Roses are red,<br>violets are blue,<br/>the sea is grey.</p></article>" >p.html &&
	extract p.html >actual &&
	printf "%s\\n" "Roses are red," "violets are blue," "the sea is grey." >expect &&
	test_cmp expect actual
'

test_expect_success 'markdown escapes a line that would read as markup' '
	printf "<article><p># not a heading, just a hash sign at the start.</p><p>- not a list item either, only a dash.</p></article>" >p.html &&
	extract p.html -f markdown >actual &&
	grep -q "^\\\\# not a heading" actual &&
	grep -q "^\\\\- not a list" actual
'

test_done
