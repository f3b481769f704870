#!/usr/bin/env python3
"""A loopback web for df-fetch's tests and benchmark (python3 stdlib only).

Virtual hosts are the addresses 127.0.0.2 .. 127.0.0.(N+1), all on one
port (all of 127/8 routes to lo on Linux).  Each host has its own
robots.txt (see --config) and answers the same paths:

  /page/NAME               200 text/html, a small page
  /private/NAME            200, but robots.txt disallows it
  /status/CODE             that status
  /flap/ID/N/CODE          CODE for the first N requests of ID, then 200
  /retry-after/ID/N/S      429 + "Retry-After: S" N times, then 200
  /retry-date/ID/N/S       the same with an HTTP-date S seconds ahead
  /redirect/N              302 chain of N hops ending at /page/end
  /redirect-to/HOST/PATH   302 to http://HOST:PORT/PATH
  /redirect-loop           302 to itself
  /gzip-bomb/SIZE          gzip body inflating to SIZE zero bytes
  /chunked/SIZE            chunked body of SIZE bytes (0: endless)
  /slow/SIZE/RATE          SIZE bytes dripped at RATE bytes/s
  /etag/ID                 ETag and Last-Modified; 304 when they match
  /charset/NAME            "café ü €" in that encoding, declared
  /bytes/N                 N bytes of application/octet-stream
  /sitemap/N.xml           a sitemap of N /page/ URLs ([.gz]: gzipped)
  /sitemap-index.xml       an index of two sitemaps
  /redirected-robots.txt   the host's robots.txt body, for robots_redirect

--config is JSON: {"robots": default body, "hosts": {"127.0.0.3":
{"robots": body, "robots_status": 503, "robots_redirect": "/path",
"latency": seconds}}}.

Every request is logged as one JSON line (arrival time, host, path,
status, User-Agent, conditional headers, connection) to --log.  The port
is written to --port-file once every host listens.  The server exits by
itself after --timeout seconds.
"""

import argparse
import email.utils
import gzip
import json
import os
import socket
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
CONFIG = {}
LOCK = threading.Lock()
LOG = None
COUNTS = {}
BOMBS = {}
CONN_IDS = [0]

CHARSET_TEXT = "café ü €"


def log(entry):
    with LOCK:
        LOG.write(json.dumps(entry) + "\n")
        LOG.flush()


def count(host, key):
    with LOCK:
        k = (host, key)
        COUNTS[k] = COUNTS.get(k, 0) + 1
        return COUNTS[k]


def bomb(size):
    with LOCK:
        if size not in BOMBS:
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            chunk = b"\0" * 65536
            out = []
            left = size
            while left > 0:
                n = min(left, len(chunk))
                out.append(c.compress(chunk[:n]))
                left -= n
            out.append(c.flush())
            BOMBS[size] = b"".join(out)
        return BOMBS[size]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fetch-server"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with LOCK:
            CONN_IDS[0] += 1
            self.conn_id = CONN_IDS[0]

    def host(self):
        return self.server.server_address[0]

    def hostconf(self):
        return CONFIG.get("hosts", {}).get(self.host(), {})

    def send(self, code, body=b"", ctype="text/html; charset=utf-8",
             headers=None):
        self.send_response(code)
        if ctype and code != 304:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if code != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        t = time.time()
        path = self.path
        host = self.host()
        status, respond = self.route(path, host)
        entry = {"t": t, "host": host, "path": path, "status": status,
                 "ua": self.headers.get("User-Agent", ""),
                 "conn": self.conn_id}
        for h in ("If-None-Match", "If-Modified-Since", "Accept-Encoding"):
            if self.headers.get(h) is not None:
                entry[h.lower()] = self.headers.get(h)
        if isinstance(respond, tuple) and respond[0] == "retry-after":
            entry["retry_after"] = respond[1]
        log(entry)
        lat = self.hostconf().get("latency", ARGS.latency)
        if lat > 0:
            time.sleep(lat)
        try:
            if callable(respond):
                respond()
            else:
                respond[2]()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def route(self, path, host):
        parts = path.split("?")[0].split("/")[1:]
        hc = self.hostconf()
        if path in ("/robots.txt", "/redirected-robots.txt"):
            rs = hc.get("robots_status", 200)
            if path == "/redirected-robots.txt":
                rs = 200
            elif "robots_redirect" in hc:
                loc = hc["robots_redirect"].replace("PORT", str(ARGS.port))
                return 301, lambda: self.send(301, b"", None,
                                              {"Location": loc})
            body = hc.get("robots", CONFIG.get(
                "robots", "User-agent: *\nDisallow: /private\n"))
            return rs, lambda: self.send(rs, body.encode(),
                                         "text/plain")
        head = parts[0] if parts else ""
        if head in ("page", "private", "robots-target"):
            body = ("<html><head><title>%s</title></head><body><p>%s on %s"
                    "</p></body></html>" % (path, path, host)).encode()
            return 200, lambda: self.send(200, body)
        if head == "status" and len(parts) > 1:
            code = int(parts[1])
            return code, lambda: self.send(code, b"status %d" % code)
        if head == "flap" and len(parts) > 3:
            n = count(host, path)
            code = int(parts[3]) if n <= int(parts[2]) else 200
            return code, lambda: self.send(code, b"flap %d" % n)
        if head in ("retry-after", "retry-date") and len(parts) > 3:
            n = count(host, path)
            if n > int(parts[2]):
                return 200, lambda: self.send(200, b"ok after %d" % n)
            secs = float(parts[3])
            if head == "retry-after":
                value = "%d" % secs
                wait = secs
            else:
                at = int(time.time()) + 1 + int(secs)
                value = email.utils.formatdate(at, usegmt=True)
                wait = at - time.time()
            return 429, ("retry-after", wait, lambda: self.send(
                429, b"slow down", "text/plain", {"Retry-After": value}))
        if head == "redirect" and len(parts) > 1:
            n = int(parts[1])
            loc = "/redirect/%d" % (n - 1) if n > 1 else "/page/end"
            return 302, lambda: self.send(302, b"", None,
                                          {"Location": loc})
        if head == "redirect-to" and len(parts) > 2:
            loc = "http://%s:%d/%s" % (parts[1], ARGS.port,
                                       "/".join(parts[2:]))
            return 302, lambda: self.send(302, b"", None,
                                          {"Location": loc})
        if head == "redirect-loop":
            return 302, lambda: self.send(302, b"", None,
                                          {"Location": "/redirect-loop"})
        if head == "gzip-bomb" and len(parts) > 1:
            data = bomb(int(parts[1]))
            return 200, lambda: self.send(200, data, "text/plain", {
                "Content-Encoding": "gzip"})
        if head == "chunked" and len(parts) > 1:
            return 200, lambda: self.chunked(int(parts[1]))
        if head == "slow" and len(parts) > 2:
            return 200, lambda: self.slow(int(parts[1]), float(parts[2]))
        if head == "etag" and len(parts) > 1:
            tag = '"v1-%s"' % parts[1]
            lm = "Mon, 02 Jan 2006 15:04:05 GMT"
            if (self.headers.get("If-None-Match") == tag or
                    self.headers.get("If-Modified-Since") == lm):
                return 304, lambda: self.send(304, b"", None, {
                    "ETag": tag, "Last-Modified": lm})
            return 200, lambda: self.send(
                200, b"<html>etag page</html>", "text/html",
                {"ETag": tag, "Last-Modified": lm})
        if head == "charset" and len(parts) > 1:
            cs = parts[1]
            body = CHARSET_TEXT.encode(cs, errors="replace")
            return 200, lambda: self.send(200, body,
                                          "text/plain; charset=" + cs)
        if head == "bytes" and len(parts) > 1:
            body = bytes(range(256)) * (int(parts[1]) // 256 + 1)
            body = body[:int(parts[1])]
            return 200, lambda: self.send(200, body,
                                          "application/octet-stream")
        if head.startswith("sitemap"):
            return self.sitemap(parts, host)
        return 404, lambda: self.send(404, b"not found")

    def sitemap(self, parts, host):
        base = "http://%s:%d" % (host, ARGS.port)
        if parts[0] == "sitemap-index.xml":
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    '<sitemap><loc>%s/sitemap/2.xml</loc></sitemap>'
                    '<sitemap><loc>%s/sitemap/3.xml.gz</loc></sitemap>'
                    '</sitemapindex>\n' % (base, base)).encode()
            return 200, lambda: self.send(200, body, "application/xml")
        if len(parts) > 1:
            name = parts[1]
            gz = name.endswith(".gz")
            n = int(name.split(".")[0])
            urls = "".join("<url><loc>%s/page/s%d-%d</loc></url>" %
                           (base, n, i) for i in range(n))
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    '%s</urlset>\n' % urls).encode()
            if gz:
                body = gzip.compress(body)
                return 200, lambda: self.send(200, body,
                                              "application/gzip")
            return 200, lambda: self.send(200, body, "application/xml")
        return 404, lambda: self.send(404, b"not found")

    def chunked(self, size):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        block = b"x" * 65536
        sent = 0
        end = time.time() + 60
        while (size == 0 or sent < size) and time.time() < end:
            n = len(block) if size == 0 else min(len(block), size - sent)
            self.wfile.write(b"%x\r\n" % n + block[:n] + b"\r\n")
            sent += n
        self.wfile.write(b"0\r\n\r\n")

    def slow(self, size, rate):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.flush()
        step = max(1, int(rate / 10))
        sent = 0
        while sent < size:
            n = min(step, size - sent)
            self.wfile.write(b"s" * n)
            self.wfile.flush()
            sent += n
            time.sleep(n / rate)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # a client that hangs up is no news here


def main():
    global ARGS, CONFIG, LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--config")
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    ARGS = ap.parse_args()
    if ARGS.config:
        with open(ARGS.config) as f:
            CONFIG = json.load(f)
    LOG = open(ARGS.log, "a")
    addrs = ["127.0.0.%d" % (i + 2) for i in range(ARGS.hosts)]
    servers = []
    for attempt in range(20):
        servers = []
        try:
            first = Server((addrs[0], 0), Handler)
            port = first.server_address[1]
            servers.append(first)
            for a in addrs[1:]:
                servers.append(Server((a, port), Handler))
            break
        except OSError:
            for s in servers:
                s.server_close()
            servers = []
    if not servers:
        sys.exit("fetch-server: cannot bind the hosts")
    ARGS.port = port
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, ARGS.port_file)
    time.sleep(ARGS.timeout)
    os._exit(0)


if __name__ == "__main__":
    socket.setdefaulttimeout(120)
    main()
