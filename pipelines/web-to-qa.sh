#!/bin/sh
# web-to-qa as one shell pipeline: URLs in, a question-answer dataset
# folder out.  Every stage leaves its --stats manifest and its rejects in
# OUTDIR; the stages run at the same time, as pipes do.  (web-to-qa.mk is
# the same job as a make build that re-runs only what changed.)
#
#   urls -> df-fetch -> df-extract -> df-chunk -> df-dedup
#        -> df-gen (Q&A) -> df-judge (heuristics, LLM score) -> df-split
#
# Usage: sh pipelines/web-to-qa.sh URLS [OUTDIR]
#
# The LLM stages run when DF_LLM_URL names an OpenAI-compatible server
# (and DF_LLM_MODEL a model it serves); without it they are skipped and
# the dataset is made of the judged chunks.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# The tree's programs, unless the tests chose which (run.sh).
[ -n "${DF_TEST_PATH_SET:-}" ] || PATH=$(dirname "$here")/bin:$PATH
export PATH
if [ $# -lt 1 ]; then
	echo "usage: web-to-qa.sh URLS [OUTDIR]" >&2
	exit 2
fi
urls=$1
out=${2:-web-to-qa-out}
model=${DF_LLM_MODEL:-llama3.2}
min_score=${MIN_SCORE:-6}
mkdir -p "$out"
rm -rf "$out/dataset" "$out"/*.stats.json

# st NAME: the --stats and --rejects options of stage NAME.
st () {
	echo "--stats $out/$1.stats.json --rejects $out/$1.rejects.jsonl"
}

if [ -n "${DF_LLM_URL:-}" ]; then
	gen () {
		# shellcheck disable=SC2046 # st gives words
		df-gen -q --template qa --model "$model" \
		    --cache "$out/llm-cache" $(st qa) |
		jq -c '.text = "Question: \(.question)\n\nAnswer: \(.answer)"'
	}
	judge () {
		# shellcheck disable=SC2046
		df-judge -q --signals length,script,lang,pii,badwords \
		    --judge quality --model "$model" --cache "$out/llm-cache" \
		    --keep ".scores.llm >= $min_score" $(st judged)
	}
else
	echo "web-to-qa: LLM stages skipped: set DF_LLM_URL to an" \
	    "OpenAI-compatible server (Ollama: http://127.0.0.1:11434/v1," \
	    "llama.cpp: http://127.0.0.1:8080/v1) to make Q&A pairs" >&2
	gen () { cat; }
	judge () {
		# shellcheck disable=SC2046
		df-judge -q --preset fineweb --preset gopher $(st judged)
	}
fi

# A stage exits 1 when it rejected records (they are in its rejects
# file); only a status above 1 stops the pipeline.
set +e
# shellcheck disable=SC2046
df-fetch -q $(st fetched) <"$urls" |
df-extract -q $(st pages) |
df-chunk -q --max-tokens 512 $(st chunks) |
df-dedup -q $(st unique) |
gen |
judge |
df-split -q --key '.parent_id // (.source_id | sub("#[0-9]+$"; ""))' \
    --ratios train=0.8,val=0.1,test=0.1 --out-dir "$out/dataset" \
    --stats "$out/split.stats.json"
rc=$?
set -e
[ "$rc" -le 1 ] || exit "$rc"
# sh has no pipefail: a stage that died wrote no --stats manifest.
stages="fetched pages chunks unique judged"
[ -z "${DF_LLM_URL:-}" ] || stages="fetched pages chunks unique qa judged"
for s in $stages; do
	if [ ! -f "$out/$s.stats.json" ]; then
		echo "web-to-qa: stage $s failed (no $out/$s.stats.json)" >&2
		exit 1
	fi
	jq -r '"\(.program)\tin \(.in)\tout \(.out)\trejected \(.rejected)"' \
	    "$out/$s.stats.json"
done
jq -c '{records, splits: (.splits | map_values(.records))}' \
    "$out/dataset/manifest.json"
