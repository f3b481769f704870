#!/usr/bin/env python3
"""llm-stub.py: a loopback fake LLM server for the df-gen and df-judge tests.

Python 3 standard library only.  It speaks three APIs:

  POST .../chat/completions   OpenAI-compatible (also vLLM, llama.cpp)
  POST /api/chat              Ollama native
  POST .../messages           Anthropic native (/v1/messages)
  GET  /health                200 {"status":"ok"}

and answers deterministically, so tests can assert exact outcomes.

Usage:
  python3 tests/llm-stub.py --port-file FILE [options] &
  # wait for FILE to hold the port, then point the client at
  # http://127.0.0.1:PORT/v1 (or http://127.0.0.1:PORT for ollama and
  # anthropic).  The server exits by itself after --idle seconds without
  # a request (default 20) and after --lifetime seconds in all (300).

Options:
  --port N             port to listen on (default 0: any free port)
  --port-file FILE     write the port there once listening (atomically)
  --log FILE           one JSON line per request (see "Log" below)
  --latency S          seconds per request, or "A-B" for uniform in
                       [A, B] (deterministic by seed and body); default 0
  --per-token S        extra seconds per completion token (default 0)
  --max-concurrency N  requests in flight at most; one more is answered
                       429 (Ollama paths: 503) at once; default 0: none
  --retry-after SPEC   what 429/503 answers carry: seconds ("1", "0.5"),
                       "ms:N" (retry-after-ms only), "date" (an HTTP date
                       2 to 3 s ahead), or "none"; default 1
  --seed N             seed of the fault draw and of --latency A-B
  --fault KIND=RATE    inject a fault at RATE (0..1) of requests; repeat
                       for several.  KIND is one of:
                         500, 503, 429   that status (429 with the
                                         rate_limit_exceeded body)
                         reset           close the connection with RST
                                         before answering
                         truncate        a 200 whose body stops short of
                                         its Content-Length
                         badjson         a 200 whose body is not JSON
                         badcontent      a 200 whose reply text is prose
                                         around cut JSON (fails a schema)
                         length          a 200 with finish_reason length
                       A fault is a function of (seed, the request body,
                       how many times that body came before), so it
                       repeats whatever the arrival order.
  --fail-first K       every distinct body is answered 429 its first K
                       times, then normally
  --quota              every request is answered 429 insufficient_quota
  --require-key KEY    answer 401 unless the request carries KEY
                       (Authorization: Bearer KEY or x-api-key: KEY)
  --model-name NAME    the model named in replies (default: as asked)
  --idle S             exit after S seconds with no request (default 20)
  --lifetime S         exit after S seconds in all (default 300)

Replies.  The reply text is "fk:<first 12 hex of sha256(prompt)>" then
the last user message's first 24 words ("echo"), cut at the request's
max tokens (finish_reason "length" then).  With a schema in the
request (OpenAI response_format json_schema, llama.cpp json_schema,
vLLM structured_outputs.json or guided_json, Ollama format, an Anthropic
tool's input_schema) the reply is a JSON instance of the schema: strings
are "fk:<hex> <field name>" (enum: the first value), numbers 7, integers
7, booleans true, arrays one item (or minItems).  Usage counts words and
punctuation marks, plus 4 per message.  A prompt containing "STUB:BAD"
gets an answer that fails its schema the first time that body is seen.

Log.  Each request is a JSON object on one line with: t (arrival, Unix
seconds), t_resp (just before the first byte of the answer was written;
a client that honours Retry-After sends the same body again no sooner
than t_resp + retry_after), t_end, seq, api (openai, ollama, anthropic), path, body (the
request as JSON), body_sha (of the raw bytes), attempt (1 for the first
time this body came), status (0 for a reset), fault, retry_after (the
seconds advertised, or null), inflight (at arrival, this one included),
prompt_tokens, completion_tokens, auth (the key the request carried, or
null), headers (lower-cased names of the request headers).
"""

import argparse
import email.utils
import hashlib
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("500", "503", "429", "reset", "truncate", "badjson",
          "badcontent", "length")


def parse_args(argv):
    p = argparse.ArgumentParser(description="loopback fake LLM server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--log")
    p.add_argument("--latency", default="0")
    p.add_argument("--per-token", type=float, default=0.0)
    p.add_argument("--max-concurrency", type=int, default=0)
    p.add_argument("--retry-after", default="1")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--fault", action="append", default=[])
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--quota", action="store_true")
    p.add_argument("--require-key")
    p.add_argument("--model-name")
    p.add_argument("--idle", type=float, default=20.0)
    p.add_argument("--lifetime", type=float, default=300.0)
    a = p.parse_args(argv)
    a.faults = []
    for f in a.fault:
        kind, _, rate = f.partition("=")
        if kind not in FAULTS:
            p.error("unknown fault %r (one of %s)" % (kind, ", ".join(FAULTS)))
        a.faults.append((kind, float(rate)))
    return a


ARGS = None
LOCK = threading.Lock()
STATE = {"inflight": 0, "seq": 0, "last": time.time(), "seen": {}}
LOGF = None


def unit(seed, *parts):
    h = hashlib.sha256(("%d" % seed).encode())
    for x in parts:
        h.update(b"\0")
        h.update(x if isinstance(x, bytes) else str(x).encode())
    return struct.unpack(">Q", h.digest()[:8])[0] / 2.0 ** 64


def count_tokens(text):
    return len(re.findall(r"\w+|[^\w\s]", text))


def content_text(c):
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        return "".join(p.get("text", "") for p in c if isinstance(p, dict))
    return ""


def instance(schema, name, tag):
    """A JSON value that satisfies a (subset) JSON Schema."""
    if not isinstance(schema, dict):
        return "%s %s" % (tag, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    t = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(t, list):
        t = [x for x in t if x != "null"][0] if len(t) > 1 else t[0]
    if t == "object":
        props = schema.get("properties", {})
        return {k: instance(v, k, tag) for k, v in props.items()}
    if t == "array":
        n = max(1, int(schema.get("minItems", 1)))
        return [instance(schema.get("items", {}), name, tag) for _ in range(n)]
    if t == "integer":
        lo = schema.get("minimum", 7)
        hi = schema.get("maximum", 7)
        return int(min(max(7, lo), hi))
    if t == "number":
        lo = schema.get("minimum", 7)
        hi = schema.get("maximum", 7)
        return min(max(7, lo), hi)
    if t == "boolean":
        return True
    if t == "null":
        return None
    s = "%s %s" % (tag, name)
    if "minLength" in schema and len(s) < schema["minLength"]:
        s = s + "x" * (schema["minLength"] - len(s))
    return s


def find_schema(api, body):
    if api == "ollama":
        f = body.get("format")
        return f if isinstance(f, dict) else None
    if api == "anthropic":
        for t in body.get("tools") or []:
            if isinstance(t, dict) and "input_schema" in t:
                return t["input_schema"]
        return None
    rf = body.get("response_format")
    if isinstance(rf, dict):
        if rf.get("type") == "json_schema":
            js = rf.get("json_schema") or {}
            if isinstance(js, dict) and isinstance(js.get("schema"), dict):
                return js["schema"]
        if isinstance(rf.get("schema"), dict):
            return rf["schema"]
    if isinstance(body.get("json_schema"), dict):
        return body["json_schema"]
    so = body.get("structured_outputs")
    if isinstance(so, dict) and isinstance(so.get("json"), dict):
        return so["json"]
    if isinstance(body.get("guided_json"), dict):
        return body["guided_json"]
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "llm-stub/1"
    # Headers and body go out as separate writes: without this, Nagle's
    # algorithm and the client's delayed ACK add 40 ms to every answer.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send(self, status, obj=None, raw=None, headers=None, short=False):
        data = raw if raw is not None else json.dumps(obj).encode()
        self.t_resp = time.time()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        length = len(data) + (50 if short else 0)
        self.send_header("Content-Length", str(length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if short:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
        if short:
            self.close_connection = True

    def reset(self):
        s = self.connection
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            s.close()
        except OSError:
            pass

    def do_GET(self):
        with LOCK:
            STATE["last"] = time.time()
        if self.path.rstrip("/").endswith("health"):
            self.send(200, {"status": "ok"})
        else:
            self.send(404, {"error": {"message": "no such path",
                                      "type": "invalid_request_error"}})

    def do_POST(self):
        t0 = time.time()
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        path = self.path.split("?")[0]
        if path.endswith("/chat/completions"):
            api = "openai"
        elif path.endswith("/api/chat"):
            api = "ollama"
        elif path.endswith("/messages"):
            api = "anthropic"
        else:
            api = None
        body_sha = hashlib.sha256(raw).hexdigest()
        with LOCK:
            STATE["last"] = t0
            STATE["seq"] += 1
            seq = STATE["seq"]
            attempt = STATE["seen"].get(body_sha, 0) + 1
            STATE["seen"][body_sha] = attempt
            STATE["inflight"] += 1
            inflight = STATE["inflight"]
        rec = {"t": t0, "seq": seq, "api": api, "path": path,
               "body_sha": body_sha, "attempt": attempt, "status": None,
               "fault": None, "retry_after": None, "inflight": inflight,
               "prompt_tokens": 0, "completion_tokens": 0,
               "headers": sorted(k.lower() for k in self.headers.keys())}
        auth = self.headers.get("Authorization")
        if auth and auth.startswith("Bearer "):
            auth = auth[7:]
        rec["auth"] = auth or self.headers.get("x-api-key")
        try:
            self.handle_chat(api, raw, rec, attempt, inflight)
        finally:
            with LOCK:
                STATE["inflight"] -= 1
                STATE["last"] = time.time()
            rec["t_end"] = time.time()
            rec["t_resp"] = getattr(self, "t_resp", rec["t_end"])
            if getattr(self, "retry_at", None) is not None and \
                    rec["retry_after"] is not None:
                rec["retry_after"] = self.retry_at - rec["t_resp"]
            self.retry_at = None
            if LOGF is not None:
                with LOCK:
                    LOGF.write(json.dumps(rec, sort_keys=True) + "\n")
                    LOGF.flush()

    def busy_headers(self):
        ra = ARGS.retry_after
        h = {}
        if ra == "none":
            return h, None
        if ra == "date":
            # Whole seconds: the date is the moment, logged as seconds
            # after the answer went out (see send).
            self.retry_at = float(int(time.time()) + 3)
            h["Retry-After"] = email.utils.formatdate(self.retry_at,
                                                      usegmt=True)
            return h, 2.0
        if ra.startswith("ms:"):
            h["retry-after-ms"] = ra[3:]
            return h, float(ra[3:]) / 1000
        h["Retry-After"] = ra
        return h, float(ra)

    def handle_chat(self, api, raw, rec, attempt, inflight):
        if api is None:
            rec["status"] = 404
            self.send(404, {"error": {"message": "no such path",
                                      "type": "invalid_request_error"}})
            return
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError as e:
            rec["status"] = 400
            self.send(400, {"error": {"message": "bad JSON: %s" % e,
                                      "type": "invalid_request_error"}})
            return
        rec["body"] = body
        if ARGS.require_key and rec["auth"] != ARGS.require_key:
            rec["status"] = 401
            self.send(401, {"error": {"message": "Incorrect API key",
                                      "type": "invalid_request_error",
                                      "code": "invalid_api_key"}})
            return
        if ARGS.quota:
            rec["status"] = 429
            rec["fault"] = "quota"
            self.send(429, {"error": {
                "message": "You exceeded your current quota",
                "type": "insufficient_quota", "code": "insufficient_quota"}})
            return
        if ARGS.max_concurrency and inflight > ARGS.max_concurrency:
            h, ra = self.busy_headers()
            rec["retry_after"] = ra
            rec["fault"] = "busy"
            if api == "ollama":
                rec["status"] = 503
                self.send(503, {"error": "server busy"}, headers=h)
            else:
                rec["status"] = 429
                self.send(429, {"error": {
                    "message": "Rate limit reached: too many requests",
                    "type": "requests", "code": "rate_limit_exceeded"}},
                    headers=h)
            return
        if attempt <= ARGS.fail_first:
            h, ra = self.busy_headers()
            rec["retry_after"] = ra
            rec["fault"] = "fail-first"
            rec["status"] = 429
            self.send(429, {"error": {
                "message": "Rate limit reached for requests",
                "type": "requests", "code": "rate_limit_exceeded"}},
                headers=h)
            return
        fault = None
        u = unit(ARGS.seed, rec["body_sha"], attempt)
        acc = 0.0
        for kind, rate in ARGS.faults:
            acc += rate
            if u < acc:
                fault = kind
                break
        rec["fault"] = fault
        lat = ARGS.latency
        if "-" in lat:
            a, b = (float(x) for x in lat.split("-", 1))
            delay = a + (b - a) * unit(ARGS.seed + 1, rec["body_sha"],
                                       attempt)
        else:
            delay = float(lat)
        # The reply.
        msgs = body.get("messages") or []
        prompt = ""
        last_user = ""
        if api == "anthropic" and isinstance(body.get("system"), str):
            prompt += body["system"] + "\n"
        for m in msgs:
            if isinstance(m, dict):
                t = content_text(m.get("content"))
                prompt += t + "\n"
                if m.get("role") == "user":
                    last_user = t
        tag = "fk:" + hashlib.sha256(prompt.encode()).hexdigest()[:12]
        schema = find_schema(api, body)
        bad_first = "STUB:BAD" in prompt and attempt == 1 and \
            not any(isinstance(m, dict) and m.get("role") == "assistant"
                    for m in msgs)
        if schema is not None:
            text = json.dumps(instance(schema, "value", tag))
            if fault == "badcontent" or bad_first:
                text = "Here is the JSON you asked for: " + text[:len(text) // 2]
        else:
            words = last_user.split()[:24]
            text = tag + " " + " ".join(words)
            if fault == "badcontent":
                text = "Sure! " + text
        pt = sum(count_tokens(content_text(m.get("content"))) + 4
                 for m in msgs if isinstance(m, dict))
        if api == "anthropic" and isinstance(body.get("system"), str):
            pt += count_tokens(body["system"]) + 4
        ct = count_tokens(text)
        finish = "length" if fault == "length" else "stop"
        mt = body.get("max_tokens", body.get("max_completion_tokens"))
        if api == "ollama" and isinstance(body.get("options"), dict):
            mt = body["options"].get("num_predict")
        if isinstance(mt, (int, float)) and mt > 0 and ct > mt:
            # Cut at max tokens, as a server does.
            toks = re.findall(r"\w+|[^\w\s]", text)[:int(mt)]
            text = " ".join(toks)
            ct = len(toks)
            finish = "length"
        rec["prompt_tokens"] = pt
        rec["completion_tokens"] = ct
        time.sleep(delay + ARGS.per_token * ct)
        if fault in ("500", "503", "429"):
            code = int(fault)
            h = {}
            if code != 500:
                h, ra = self.busy_headers()
                rec["retry_after"] = ra
            rec["status"] = code
            msg = {"500": "The server had an error", "503": "overloaded",
                   "429": "Rate limit reached"}[fault]
            self.send(code, {"error": {"message": msg, "type": "server_error"
                                       if code != 429 else "requests"}},
                      headers=h)
            return
        if fault == "reset":
            rec["status"] = 0
            self.t_resp = time.time()
            self.reset()
            return
        model = ARGS.model_name or body.get("model") or "stub"
        if api == "openai":
            out = {"id": "chatcmpl-stub%d" % rec["seq"],
                   "object": "chat.completion", "created": 1700000000,
                   "model": model,
                   "choices": [{"index": 0, "message": {
                       "role": "assistant", "content": text},
                       "finish_reason": finish}],
                   "usage": {"prompt_tokens": pt, "completion_tokens": ct,
                             "total_tokens": pt + ct}}
        elif api == "ollama":
            out = {"model": model, "created_at": "2026-01-01T00:00:00Z",
                   "message": {"role": "assistant", "content": text},
                   "done": True, "done_reason": finish,
                   "prompt_eval_count": pt, "eval_count": ct}
        else:
            if schema is not None and fault != "badcontent" and \
                    not bad_first:
                blocks = [{"type": "tool_use", "id": "toolu_stub",
                           "name": "reply", "input": json.loads(text)}]
            else:
                blocks = [{"type": "text", "text": text}]
            out = {"id": "msg_stub%d" % rec["seq"], "type": "message",
                   "role": "assistant", "model": model, "content": blocks,
                   "stop_reason": "max_tokens" if finish == "length"
                   else ("tool_use" if blocks[0]["type"] == "tool_use"
                         else "end_turn"),
                   "stop_sequence": None,
                   "usage": {"input_tokens": pt, "output_tokens": ct}}
        data = json.dumps(out).encode()
        if fault == "badjson":
            data = data[:len(data) // 2]
        rec["status"] = 200
        self.send(200, raw=data, short=(fault == "truncate"),
                  headers={"x-ratelimit-remaining-requests": "9999"})


def watchdog(server, start):
    while True:
        time.sleep(0.2)
        with LOCK:
            idle = time.time() - STATE["last"]
            busy = STATE["inflight"]
        if (idle > ARGS.idle and busy == 0) or \
                time.time() - start > ARGS.lifetime:
            server.shutdown()
            return


def main(argv):
    global ARGS, LOGF
    ARGS = parse_args(argv)
    random.seed(ARGS.seed)
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    if ARGS.log:
        LOGF = open(ARGS.log, "a", encoding="utf-8")
    port = server.server_address[1]
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % port)
        os.rename(tmp, ARGS.port_file)
    STATE["last"] = time.time()
    t = threading.Thread(target=watchdog, args=(server, time.time()),
                         daemon=True)
    t.start()
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()
    if LOGF is not None:
        LOGF.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
