#!/bin/sh
# shellcheck disable=SC2016 # test bodies are single-quoted, eval'd later
# df-chunk --tokenizer FILE.json: Hugging Face byte-level BPE files.  A
# tokenizer.json made from the cl100k_base rank files (by the script in
# contrib/) counts exactly as the native cl100k_base; a GPT-2-style file
# splits by ByteLevel's regex with its prefix space and matches added
# tokens first; what is not supported is refused, naming it.
# shellcheck source=/dev/null # lib.sh, the sharness-lite
. "$(dirname "$0")/lib.sh"

DF_DATADIR=$SRC_DIR/data
DEV=$SRC_DIR/tests/unit/data/tok-dev.jsonl
export DF_DATADIR DEV

test_expect_success 'a tokenizer.json of cl100k counts and chunks as cl100k_base' '
	python3 "$SRC_DIR/contrib/tiktoken-to-tokenizer-json.py" cl100k_base \
	    "$SRC_DIR/data/tokens/cl100k_base.tiktoken" >cl100k.json &&
	jq -c "select(.text != \"\") | {id, text}" "$DEV" >in.jsonl &&
	df-chunk --count in.jsonl >native &&
	df-chunk --count --tokenizer cl100k.json in.jsonl >hf &&
	test_cmp native hf &&
	df-chunk --max-tokens 50 in.jsonl >c1 &&
	df-chunk --max-tokens 50 --tokenizer cl100k.json in.jsonl >c2 &&
	test_cmp c1 c2
'

# A GPT-2-style file: the 256 byte tokens, three merges, one added token.
gpt2_json () {
	python3 -c "
import json
keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
alpha, n = {}, 0
for b in range(256):
    if b in keep:
        alpha[b] = chr(b)
    else:
        alpha[b] = chr(256 + n)
        n += 1
vocab = {alpha[b]: b for b in range(256)}
for t in ['\u0120t', 'he', '\u0120the']:
    vocab[t] = len(vocab)
json.dump({'added_tokens': [{'id': 300, 'content': '<|endoftext|>',
    'single_word': False, 'lstrip': False, 'rstrip': False,
    'normalized': False, 'special': True}],
    'normalizer': None,
    'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': $1,
        'trim_offsets': True, 'use_regex': True},
    'model': {'type': 'BPE', 'dropout': None, 'vocab': vocab,
        'merges': ['\u0120 t', 'h e', '\u0120t he']}}, open('$2', 'w'))
"
}

test_expect_success 'GPT-2 style: ByteLevel regex, prefix space, added tokens' '
	gpt2_json True g.json &&
	gpt2_json False g0.json &&
	printf "%s\\n" "{\"text\":\"the the\"}" "{\"text\":\"hello<|endoftext|>the\"}" \
	    "{\"text\":\"x  y\"}" >in.jsonl &&
	df-chunk --count --tokenizer g.json in.jsonl | jq -c .tokens >out &&
	printf "2\\n7\\n5\\n" >expect &&
	test_cmp expect out &&
	df-chunk --count --tokenizer g0.json in.jsonl | jq -c .tokens >out0 &&
	printf "3\\n7\\n4\\n" >expect &&
	test_cmp expect out0
'

test_expect_success 'unsupported files are refused, saying why' '
	python3 "$SRC_DIR/contrib/tiktoken-to-tokenizer-json.py" cl100k_base \
	    "$SRC_DIR/data/tokens/cl100k_base.tiktoken" >cl100k.json &&
	jq -c ".pre_tokenizer.pretokenizers[0].pattern.Regex = \"\\\\p{N}+|[a-z]+\"" cl100k.json >re.json &&
	echo "{\"text\":\"x\"}" >in.jsonl &&
	test_expect_code 2 df-chunk --tokenizer re.json in.jsonl 2>err &&
	grep "split pattern not supported: .p{N}+|\\[a-z\\]+" err &&
	jq -c ".normalizer = {\"type\":\"Lowercase\"}" cl100k.json >lc.json &&
	test_expect_code 2 df-chunk --tokenizer lc.json in.jsonl 2>err &&
	grep "normalizer .Lowercase. is not supported" err &&
	jq -c ".model.type = \"WordPiece\"" cl100k.json >wp.json &&
	test_expect_code 2 df-chunk --tokenizer wp.json in.jsonl 2>err &&
	grep "model .WordPiece. is not supported" err &&
	test_expect_code 2 df-chunk --tokenizer missing.json in.jsonl 2>err &&
	grep "missing.json: No such file" err
'

test_done
