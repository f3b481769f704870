#!/bin/sh
# The demo behind 'make demo': the two pipelines on bundled inputs.
#
#   web-to-qa   six small pages of our own (pipelines/data/pages), fetched
#               through file:// URLs, extracted, chunked, deduplicated,
#               [Q&A made and judged by an LLM,] judged, split by page,
#               with its quality gates
#   speech-16k  twelve transcripts read aloud by espeak-ng voices, made
#               16 kHz mono, checked for Malayalam script, split by
#               speaker, routed to ASR / TTS / translation folders
#
# Usage: sh pipelines/demo.sh [OUTDIR]   (default demo-out)
# DF_LLM_URL (and DF_LLM_MODEL) turn on the LLM stages of web-to-qa.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-demo-out}
# The tree's programs, unless the tests chose which (run.sh).
[ -n "${DF_TEST_PATH_SET:-}" ] || PATH=$top/bin:$PATH
export PATH
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "### web-to-qa"
for f in "$here"/data/pages/*/*.html; do
	echo "file://$f"
done >"$out/urls.txt"
make -s -f "$here/web-to-qa.mk" URLS="$out/urls.txt" \
    OUT="$out/web-to-qa" clean all
echo
echo "### speech-16k"
sh "$here/speech-16k.sh" "$out/speech-16k"

echo
echo "### what the demo made"
show () {
	printf '%s\n' "$1"
	for f in "$2"/*.jsonl; do
		printf '  %-42s %4d records\n' "${f#"$out"/}" "$(wc -l <"$f")"
	done
}
show "web-to-qa dataset, split by source page (card: README.md):" \
    "$out/web-to-qa/dataset"
show "speech-16k dataset, split by speaker:" "$out/speech-16k/dataset"
for task in asr tts translation; do
	show "speech-16k task $task:" "$out/speech-16k/tasks/$task"
done
echo "16 kHz audio:   $out/speech-16k/16k/"
echo "stats manifests: $out/*/*.stats.json"
echo "first web-to-qa record:"
head -n 1 "$out/web-to-qa/dataset/train.jsonl" |
    jq -c '{id, url, title, text: (.text[:120] + "...")}'
