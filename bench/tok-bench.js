// tok-bench.js ENCODING FILE.jsonl: the npm tiktoken package (the WASM
// build of OpenAI's tiktoken), encode_ordinary over the .text of every
// record (parsed before timing), single thread, best of 3 passes in CPU
// time.  Prints "tokens MB cpu_seconds MB/s" like tok-bench.c.
'use strict';
const fs = require('fs');
const { get_encoding } = require('tiktoken');
const [enc, file] = process.argv.slice(2);
const e = get_encoding(enc);
const texts = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l)
  .map((l) => JSON.parse(l).text);
const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
let best = Infinity;
let total = 0;
for (let pass = 0; pass < 3; pass++) {
  total = 0;
  const c0 = process.cpuUsage();
  for (const t of texts) total += e.encode_ordinary(t).length;
  const c = process.cpuUsage(c0);
  best = Math.min(best, (c.user + c.system) / 1e6);
}
e.free();
console.log(`${total} ${(bytes / 1e6).toFixed(2)} ${best.toFixed(3)} ${(bytes / 1e6 / best).toFixed(1)}`);
