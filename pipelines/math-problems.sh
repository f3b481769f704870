#!/bin/sh
# math-problems: per-domain math word problems (question, reasoning steps
# each with an equation, a numeric answer with units), checked by rules,
# judged by an LLM, split into a dataset folder.
#
#   domains -> df-gen --template math (SAMPLES problems per domain)
#           -> df-judge --require (every step has "=", the answer is a
#              number with units)
#           -> df-judge --judge math --keep '.scores.llm >= MIN_SCORE'
#           -> df-split by domain, stratified by difficulty
#
# Usage: sh pipelines/math-problems.sh [-d DOMAINS] [OUTDIR]
#
# The LLM stages run when DF_LLM_URL names an OpenAI-compatible server
# (DF_LLM_MODEL the model); without it they are skipped, and the rule
# checks run on the bundled hand-written problems instead
# (pipelines/data/math/sample-problems.jsonl, two of them flawed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# The tree's programs, unless the tests chose which (run.sh).
[ -n "${DF_TEST_PATH_SET:-}" ] || PATH=$(dirname "$here")/bin:$PATH
export PATH
domains=$here/data/math/domains.jsonl
while getopts d: opt; do
	case $opt in
	d) domains=$OPTARG ;;
	*) echo "usage: math-problems.sh [-d DOMAINS] [OUTDIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
out=${1:-math-problems-out}
model=${DF_LLM_MODEL:-llama3.2}
samples=${SAMPLES:-4}
min_score=${MIN_SCORE:-6}
min_samples=${MIN_SAMPLES:-5}
min_pass_rate=${MIN_PASS_RATE:-0.5}
mkdir -p "$out"
rm -rf "$out/dataset" "$out"/*.stats.json

# run CMD...: a stage; exit 1 means some records were rejected (they are
# in the stage's rejects file), more is a failure.
run () {
	rc=0
	"$@" || rc=$?
	[ "$rc" -le 1 ] || exit "$rc"
}

if [ -n "${DF_LLM_URL:-}" ]; then
	echo "== df-gen: $samples problems per domain ($model)"
	run df-gen -q --template math --samples "$samples" --model "$model" \
	    --cache "$out/llm-cache" --stats "$out/gen.stats.json" \
	    --rejects "$out/gen.rejects.jsonl" "$domains" >"$out/problems.jsonl"
else
	echo "== LLM stages skipped: set DF_LLM_URL to an OpenAI-compatible" \
	    "server (Ollama: http://127.0.0.1:11434/v1, llama.cpp:" \
	    "http://127.0.0.1:8080/v1) to generate and judge problems;" \
	    "checking the bundled sample problems instead"
	cp "$here/data/math/sample-problems.jsonl" "$out/problems.jsonl"
fi

# Two rules, so the rejects say which check a problem failed: require1
# (every step an equation) or require2 (a number with units).
echo "== df-judge --require: every step an equation, the answer with units"
run df-judge -q --field .question --signals length \
    --require '.reasoning | type == "array" and length > 0
        and all(test("="))' \
    --require '.answer | type == "string"
        and test("^-?[0-9][0-9.,:]*\\s*[^0-9\\s.,:]")' \
    --stats "$out/rules.stats.json" --rejects "$out/rules.rejects.jsonl" \
    "$out/problems.jsonl" >"$out/checked.jsonl"
jq -c '{in, out, rejected}' "$out/rules.stats.json"

if [ -n "${DF_LLM_URL:-}" ]; then
	echo "== df-judge --judge math: keep scores >= $min_score"
	run df-judge -q --field .question --signals length --judge math \
	    --model "$model" --cache "$out/llm-cache" \
	    --keep ".scores.llm >= $min_score" \
	    --stats "$out/judge.stats.json" \
	    --rejects "$out/judge.rejects.jsonl" \
	    "$out/checked.jsonl" >"$out/judged.jsonl"
	jq -c '{in, out, rejected}' "$out/judge.stats.json"
else
	cp "$out/checked.jsonl" "$out/judged.jsonl"
fi

echo "== df-split: by domain, difficulty stratified, into $out/dataset"
df-split -q --key '.source_id // .domain' --stratify .difficulty \
    --ratios train=0.8,val=0.1,test=0.1 --out-dir "$out/dataset" \
    --stats "$out/split.stats.json" "$out/judged.jsonl"
jq -c '{records, splits: (.splits | map_values(.records))}' \
    "$out/dataset/manifest.json"

echo "== gates"
sh "$here/gate.sh" min-samples "problems in the dataset" .records \
    -ge "$min_samples" "$out/dataset/manifest.json"
if [ -n "${DF_LLM_URL:-}" ]; then
	sh "$here/gate.sh" judge-pass-rate "kept/judged" \
	    'if .in > 0 then .out / .in else 0 end' -ge "$min_pass_rate" \
	    "$out/judge.stats.json"
fi
