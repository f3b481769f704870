#!/bin/sh
# The demo behind 'make demo': news paragraphs (pipelines/data),
# deduplicated, into a dataset folder with train/val/test splits grouped
# by site, so no site's text is in two splits; then an audit of the
# folder for leakage.
#
# Usage: sh pipelines/demo.sh [OUTDIR]   (default demo-out; bin/ on PATH)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-demo-out}
PATH=$top/bin:$PATH
export PATH

mkdir -p "$out"
echo "== df-dedup: $(wc -l <"$here/data/news-paragraphs.jsonl") paragraphs," \
    "exact and near duplicates out"
df-dedup --rejects "$out/dups.jsonl" --stats "$out/dedup.stats.json" \
    "$here/data/news-paragraphs.jsonl" >"$out/unique.jsonl"
jq -c '{in, out, exact_duplicates, near_duplicates}' "$out/dedup.stats.json"
echo
echo "== df-split: $(wc -l <"$out/unique.jsonl") records, grouped by" \
    "source site, into $out/dataset"
df-split --key .source --ratios train=0.8,val=0.1,test=0.1 \
    --out-dir "$out/dataset" --stats "$out/split.stats.json" \
    "$out/unique.jsonl"
ls -l "$out/dataset"
echo
echo "== the manifest"
jq -c '.splits' "$out/dataset/manifest.json"
echo
echo "== the dataset card (head)"
sed -n '1,/^## Fields/p' "$out/dataset/README.md"
echo
echo "== df-split --check: no site and no paragraph in two splits"
df-split --check "$out/dataset" --key .source
echo
echo "== the run's --stats manifest"
jq -c '{program, in, out, rejected, errors, splits}' "$out/split.stats.json"
