# web-to-qa as a make build: URLs in, a question-answer dataset folder out.
#
#   make -f pipelines/web-to-qa.mk URLS=urls.txt OUT=build-qa
#
# with the programs on PATH (make install, or PATH=$PWD/bin:$PATH).
#
# Every stage is a file target in $(OUT) with its --stats manifest and its
# rejects beside it, so an edited input or option re-runs only the stages
# after it, and an interrupted build picks up at the stage it was in (each
# output is written to a temporary name and renamed when complete; df-gen
# keeps every paid reply in its cache, so a re-run pays only for what is
# missing).  The quality gates at the end read the manifests and fail the
# build with a line naming the gate and its numbers.
#
#   urls -> df-fetch -> df-extract -> df-chunk -> df-dedup
#        -> df-gen (Q&A) -> df-judge (heuristics, LLM score) -> df-split
#
# The LLM stages run when DF_LLM_URL names an OpenAI-compatible server
# (Ollama: http://127.0.0.1:11434/v1; llama.cpp: http://127.0.0.1:8080/v1);
# without it they are skipped, and the dataset is made of the judged
# chunks themselves.

URLS ?= urls.txt
OUT ?= web-to-qa-out
# Token budget per chunk, and the gates' floors.
MAX_TOKENS ?= 512
MIN_SAMPLES ?= 5
MIN_SOURCES ?= 3
MIN_PASS_RATE ?= 0.5
MIN_SCORE ?= 6
MODEL ?= $(or $(DF_LLM_MODEL),llama3.2)
JOBS ?= 2
# Where this file is: gate.sh lives beside it.
HERE := $(dir $(lastword $(MAKEFILE_LIST)))
GATE = sh $(HERE)gate.sh

.DELETE_ON_ERROR:
.PHONY: all dataset gates gate-min-samples gate-min-sources \
	gate-no-duplicates gate-no-leakage gate-judge-pass-rate clean

all: gates

# One stage: run it into $@.tmp with its stats and rejects, then rename.
# A stage that rejected some records still succeeds (exit 1 from the
# program); the rejects file says why, and the gates judge the result.
define stage
	@mkdir -p $(OUT)
	@echo "== $(notdir $@)"
	$(1) --stats $(basename $@).stats.json \
	    --rejects $(basename $@).rejects.jsonl < $< > $@.tmp; \
	    rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@mv $@.tmp $@
endef

$(OUT)/fetched.jsonl: $(URLS)
	$(call stage,df-fetch -q)

$(OUT)/pages.jsonl: $(OUT)/fetched.jsonl
	$(call stage,df-extract -q -j $(JOBS))

$(OUT)/chunks.jsonl: $(OUT)/pages.jsonl
	$(call stage,df-chunk -q -j $(JOBS) --max-tokens $(MAX_TOKENS))

$(OUT)/unique.jsonl: $(OUT)/chunks.jsonl
	$(call stage,df-dedup -q)

ifneq ($(DF_LLM_URL),)
# Q&A pairs from each chunk; the text judged and kept is the pair.
$(OUT)/qa.jsonl: $(OUT)/unique.jsonl
	$(call stage,df-gen -q --template qa --model $(MODEL) \
	    --cache $(OUT)/llm-cache)

$(OUT)/examples.jsonl: $(OUT)/qa.jsonl
	@echo "== $(notdir $@)"
	jq -c '.text = "Question: \(.question)\n\nAnswer: \(.answer)"' \
	    $< > $@.tmp
	@mv $@.tmp $@

JUDGE = df-judge -q -j $(JOBS) --signals length,script,lang,pii,badwords \
	--judge quality --model $(MODEL) --cache $(OUT)/llm-cache \
	--keep '.scores.llm >= $(MIN_SCORE) and .scores.badwords.ratio == 0'
else
$(OUT)/examples.jsonl: $(OUT)/unique.jsonl
	@echo "== LLM stages skipped: set DF_LLM_URL to an OpenAI-compatible" \
	    "server (Ollama: http://127.0.0.1:11434/v1, llama.cpp:" \
	    "http://127.0.0.1:8080/v1) to make Q&A pairs and judge them"
	cp $< $@

JUDGE = df-judge -q -j $(JOBS) --preset fineweb --preset gopher
endif

$(OUT)/judged.jsonl: $(OUT)/examples.jsonl
	$(call stage,$(JUDGE))

# Split by source page, so no page's text is in two splits.
KEY = .parent_id // (.source_id | sub("\#[0-9]+$$"; ""))
$(OUT)/dataset/manifest.json: $(OUT)/judged.jsonl
	@echo "== dataset"
	rm -rf $(OUT)/dataset
	df-split -q --key '$(KEY)' --ratios train=0.8,val=0.1,test=0.1 \
	    --out-dir $(OUT)/dataset --stats $(OUT)/split.stats.json $<

dataset: $(OUT)/dataset/manifest.json

# The gates: each names itself and its numbers, and fails the build.
gates: gate-min-samples gate-min-sources gate-no-duplicates \
	gate-no-leakage gate-judge-pass-rate

gate-min-samples: $(OUT)/dataset/manifest.json
	@$(GATE) min-samples "records in the dataset" .records \
	    -ge $(MIN_SAMPLES) $<

gate-min-sources: $(OUT)/judged.jsonl
	@$(GATE) -s min-sources "distinct source pages" \
	    '[.[] | $(KEY)] | unique | length' -ge $(MIN_SOURCES) $<

$(OUT)/final-dedup.stats.json: $(OUT)/dataset/manifest.json
	cat $(OUT)/dataset/*.jsonl | df-dedup -q --stats $@.tmp >/dev/null
	@mv $@.tmp $@

gate-no-duplicates: $(OUT)/final-dedup.stats.json
	@$(GATE) no-duplicates "duplicates left" \
	    '.exact_duplicates + .near_duplicates' -eq 0 $<

$(OUT)/leaks.json: $(OUT)/dataset/manifest.json
	df-split --check $(OUT)/dataset --key '$(KEY)' > $@.tmp; \
	    rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@mv $@.tmp $@

gate-no-leakage: $(OUT)/leaks.json
	@$(GATE) no-leakage "leaks between splits" .leaks -eq 0 $<

gate-judge-pass-rate: $(OUT)/judged.jsonl
	@$(GATE) judge-pass-rate "kept/judged" \
	    'if .in > 0 then .out / .in else 0 end' -ge $(MIN_PASS_RATE) \
	    $(OUT)/judged.stats.json

clean:
	rm -rf $(OUT)
