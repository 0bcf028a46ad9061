#!/usr/bin/env python3
"""How long pushes to the switch stay blocked after `didtron serve` is killed mid-push.

On loopback only: a small stand-in for the ConnexCS API (answers like tests/common/fake_connexcs.rs,
and holds a carrier create for a minute while `slow` is on), and `didtron serve` on SQLite in a
scratch folder. The run:

  1. start serve, sign in, create carrier A while the switch is slow: the push hangs mid-call;
  2. SIGKILL serve while it holds the push lease and its job is `running`;
  3. switch back to normal, start serve again on the same data, create carrier B;
  4. measure from the kill until B (and A) are synced on the switch, bounded by --bound seconds.

    scripts/switch-crash-resume.py --binary target/debug/didtron [--bound 900]

Prints one JSON line with the figures (seconds), so runs of two binaries compare side by side.
"""

import argparse
import base64
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USER, PASSWORD = "api@example.net", "fake-connexcs-password"
ADMIN, ADMIN_PASSWORD = "admin@example.net", "correct horse battery staple"


class FakeConnexCs:
    def __init__(self):
        self.lock = threading.Lock()
        self.collections = {}
        self.next_id = 100
        self.slow = False
        self.creates = []  # names of carriers whose create arrived
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def handle_any(self, method):
                expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if self.headers.get("authorization") != expected:
                    return self.answer(401, {"message": "Unauthorized"})
                path, _, query = self.path.partition("?")
                path = path.removeprefix("/api/cp/").strip("/")
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                if path == "setup/account":
                    return self.answer(200, {"id": 1, "name": "Fake Telecom Ltd"})
                collection, _, last = path.rpartition("/")
                if not last.isdigit():
                    collection, last = path, None
                if method == "POST" and collection == "carrier" and body:
                    with fake.lock:
                        fake.creates.append(body.get("name"))
                        slow = fake.slow
                    if slow:
                        time.sleep(60)
                with fake.lock:
                    items = fake.collections.setdefault(collection, {})
                    if method == "GET" and last is None:
                        filters = dict(kv.split("=", 1) for kv in query.split("&") if "=" in kv)
                        found = [o for o in items.values() if all(str(o.get(k)) == urllib.request.unquote(v) for k, v in filters.items())]
                        return self.answer(200, found)
                    if method == "POST":
                        fake.next_id += 1
                        body["id"] = fake.next_id
                        items[fake.next_id] = body
                        return self.answer(200, {"id": fake.next_id})
                    if method == "PUT" and last and int(last) in items:
                        body["id"] = int(last)
                        items[int(last)] = body
                        return self.answer(200, body)
                    if method == "DELETE" and last and int(last) in items:
                        del items[int(last)]
                        return self.answer(200, {"deleted": int(last)})
                    return self.answer(404, {"message": "Not Found"})

            def do_GET(self):
                self.handle_any("GET")

            def do_POST(self):
                self.handle_any("POST")

            def do_PUT(self):
                self.handle_any("PUT")

            def do_DELETE(self):
                self.handle_any("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/cp/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def carrier_names(self):
        with self.lock:
            return sorted(o.get("name") for o in self.collections.get("carrier", {}).values())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def call(self, method, path, body=None):
        headers = {"content-type": "application/json"}
        for c in self.jar:
            if c.name == "didtron_csrf":
                headers["x-csrf-token"] = c.value
        req = urllib.request.Request(self.base + path, method=method, headers=headers, data=json.dumps(body).encode() if body is not None else None)
        try:
            with self.opener.open(req, timeout=10) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def start(binary, data_dir, port, fake, log):
    env = dict(os.environ)
    env.update({
        "DIDTRON_SWITCH_DRIVER": "connexcs",
        "DIDTRON_CONNEXCS_URL": fake.url,
        "DIDTRON_CONNEXCS_USERNAME": USER,
        "DIDTRON_CONNEXCS_PASSWORD": PASSWORD,
        "DIDTRON_ADMIN_EMAIL": ADMIN,
        "DIDTRON_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DIDTRON_LOG": "info",
    })
    return subprocess.Popen([binary, "--data-dir", data_dir, "serve", "--listen", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log)


def wait_until(check, bound, step=0.1):
    started = time.monotonic()
    while time.monotonic() - started < bound:
        if check():
            return True
        time.sleep(step)
    return False


def answers(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
            return r.status == 200
    except Exception:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--bound", type=float, default=900, help="give up after this many seconds from the kill")
    args = ap.parse_args()
    fake = FakeConnexCs()
    data_dir = tempfile.mkdtemp(prefix="didtron-crash-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(data_dir, "serve.log"), "ab")
    out = {"binary": args.binary}
    serve = start(args.binary, data_dir, port, fake, log)
    try:
        assert wait_until(lambda: answers(base), 60), "serve did not start"
        admin = Client(base)
        status, body = admin.call("POST", "/api/v1/auth/login", {"email": ADMIN, "password": ADMIN_PASSWORD})
        assert status == 200, (status, body)

        def carrier(code, name, host):
            status, body = admin.call("POST", "/api/v1/config/carrier", {"fields": {"code": code, "name": name, "hosts": [host]}, "assignments": [{"scope": {"kind": "all"}}]})
            assert status == 201, (status, body)
            return body["id"]

        fake.slow = True
        carrier("a", "Alpha", "10.0.0.1")
        assert wait_until(lambda: "Alpha" in fake.creates, 30), "the push of A never reached the switch"
        time.sleep(0.3)
        serve.send_signal(signal.SIGKILL)
        serve.wait()
        killed = time.monotonic()
        fake.slow = False

        serve = start(args.binary, data_dir, port, fake, log)
        assert wait_until(lambda: answers(base), 60), "serve did not start again"
        out["restart_to_listening_s"] = round(time.monotonic() - killed, 2)
        admin = Client(base)
        status, body = admin.call("POST", "/api/v1/auth/login", {"email": ADMIN, "password": ADMIN_PASSWORD})
        assert status == 200, (status, body)
        b = carrier("b", "Beta", "10.0.0.2")

        def synced(record):
            status, body = admin.call("GET", f"/api/v1/switch/status?kind=carrier&ids={record}")
            return status == 200 and body and body[0]["status"] == "synced"

        resumed = wait_until(lambda: synced(b), args.bound - (time.monotonic() - killed), step=0.25)
        out["kill_to_new_push_synced_s"] = round(time.monotonic() - killed, 2) if resumed else None
        out["bound_s"] = args.bound
        out["resumed"] = resumed
        out["switch_carriers"] = fake.carrier_names()
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
        log.close()
        if os.environ.get("KEEP") is None:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            out["data_dir"] = data_dir
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
