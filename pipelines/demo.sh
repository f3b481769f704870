#!/bin/sh
# The demo behind 'make demo': news paragraphs (pipelines/data) into a
# dataset folder with train/val/test splits grouped by site, so no site's
# text is in two splits; then an audit of the folder for leakage.
#
# Usage: sh pipelines/demo.sh [OUTDIR]   (default demo-out; bin/ on PATH)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-demo-out}
PATH=$top/bin:$PATH
export PATH

mkdir -p "$out"
echo "== df-split: $(wc -l <"$here/data/news-paragraphs.jsonl") records," \
    "grouped by source site, into $out/dataset"
df-split --key .source --ratios train=0.8,val=0.1,test=0.1 \
    --out-dir "$out/dataset" --stats "$out/split.stats.json" \
    "$here/data/news-paragraphs.jsonl"
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
