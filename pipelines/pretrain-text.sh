#!/bin/sh
# pretrain-text: WARC files (a crawl of our own made with df-fetch --warc,
# or Common Crawl's) into filtered, deduplicated pretraining text with
# token totals per source.
#
#   WARC -> df-fetch --from-warc -> df-extract -> df-judge --preset fineweb
#        -> df-dedup -> df-chunk --count -> totals per source (host)
#
# Usage: sh pipelines/pretrain-text.sh -o OUTDIR FILE.warc[.gz]...
#
# OUTDIR gets text.jsonl (one record per kept document, with "tokens"),
# totals.json ({source: {documents, tokens}} and the sum), and each
# stage's --stats manifest and rejects.  PRESET (default fineweb) picks
# df-judge's filter; TOKENIZER (default cl100k_base) the token count.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# The tree's programs, unless the tests chose which (run.sh).
[ -n "${DF_TEST_PATH_SET:-}" ] || PATH=$(dirname "$here")/bin:$PATH
export PATH
out=
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: pretrain-text.sh -o OUTDIR FILE.warc..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$out" ] || [ $# -eq 0 ]; then
	echo "usage: pretrain-text.sh -o OUTDIR FILE.warc..." >&2
	exit 2
fi
preset=${PRESET:-fineweb}
tokenizer=${TOKENIZER:-cl100k_base}
mkdir -p "$out"
rm -f "$out"/*.stats.json

st () {
	echo "--stats $out/$1.stats.json --rejects $out/$1.rejects.jsonl"
}
# A stage exits 1 when it rejected records (they are in its rejects
# file); sh has no pipefail, so the manifests say whether each finished.
set +e
# shellcheck disable=SC2046 # st gives words
df-fetch -q --from-warc $(st records) "$@" |
df-extract -q $(st pages) |
df-judge -q --preset "$preset" $(st judged) |
df-dedup -q $(st unique) |
df-chunk -q --count --tokenizer "$tokenizer" $(st counted) >"$out/text.jsonl"
set -e
for s in records pages judged unique counted; do
	if [ ! -f "$out/$s.stats.json" ]; then
		echo "pretrain-text: stage $s failed (no $out/$s.stats.json)" >&2
		exit 1
	fi
	jq -r '"\(.program)\tin \(.in)\tout \(.out)\trejected \(.rejected)"' \
	    "$out/$s.stats.json"
done

# Token totals per source: the host of each document's URL.
jq -n '[inputs | {source: ((.url // "") | capture("^[a-z]+://(?<h>[^/:]+)").h
    // "unknown"), tokens}]
    | group_by(.source)
    | map({key: .[0].source,
           value: {documents: length, tokens: (map(.tokens) | add)}})
    | from_entries
    | {sources: ., documents: ([.[].documents] | add // 0),
       tokens: ([.[].tokens] | add // 0)}' "$out/text.jsonl" \
    >"$out/totals.json"
jq -r '.sources | to_entries[] | "\(.key)\t\(.value.documents) documents" +
    "\t\(.value.tokens) tokens"' "$out/totals.json"
jq -r '"total\t\(.documents) documents\t\(.tokens) tokens"' "$out/totals.json"
