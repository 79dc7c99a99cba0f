"""What the reporter's tests talk to: a real portal backend, started from
this repository, and a proxy the tests put in front of it to inject the
faults of a real network."""

from __future__ import annotations

import atexit
import http.server
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

TESTS = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(TESTS)
COMMON = os.path.dirname(PYTHON_DIR)
REPOSITORY = os.path.dirname(os.path.dirname(COMMON))
BACKEND_PACKAGE = os.path.join(REPOSITORY, "plugins", "monitor-backend")
VECTORS = os.path.join(COMMON, "test-vectors", "job-report.json")
MODULE = os.path.join(PYTHON_DIR, "tc_portal_monitor.py")

SECRET = "python-reporter-test-secret"

sys.path.insert(0, PYTHON_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_vectors() -> Dict[str, Any]:
    with open(VECTORS, encoding="utf-8") as file:
        return json.load(file)


class Backend:
    """The monitor's backend (plugins/monitor-backend/dev/index.ts) in a
    process of its own, on a SQLite database in a folder that outlives a
    restart."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="tc-portal-reporter-test-")
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None
        self.log_path = os.path.join(self.folder, "backend.log")
        config = {
            "backend": {
                "baseUrl": f"http://localhost:{self.port}",
                "listen": {"port": self.port, "host": "127.0.0.1"},
                "database": {
                    "client": "better-sqlite3",
                    "connection": {"directory": os.path.join(self.folder, "db")},
                },
            },
            "monitor": {"webhookSecret": SECRET},
        }
        self.config_path = os.path.join(self.folder, "app-config.json")
        with open(self.config_path, "w", encoding="utf-8") as file:
            json.dump(config, file)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/monitor"

    @property
    def report_url(self) -> str:
        return f"{self.base}/job-report"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                "node",
                "--enable-source-maps",
                "--require",
                "@backstage/cli-node/config/nodeTransform.cjs",
                "dev/index.ts",
                "--config",
                self.config_path,
            ],
            cwd=BACKEND_PACKAGE,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_ENV": "development"},
        )
        log.close()
        # A start on a machine busy with the other suites took over 90 s.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None or "Backend startup failed" in self.log_tail():
                self.stop()
                raise RuntimeError(
                    "the backend did not start (run the tests through scripts/test.sh, "
                    f"or after `source scripts/toolchain.sh`); see {self.log_path}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.base}/summary", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the backend did not start; see {self.log_path}:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as file:
                return file.read()[-4000:]
        except OSError:
            return ""

    def get(self, path: str) -> Tuple[int, Any]:
        try:
            with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:
                return response.status, json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read().decode("utf-8"))

    def job(self, job_key: str) -> Optional[Dict[str, Any]]:
        """The job and its runs from the read API, or None when unknown."""
        status, body = self.get(f"/jobs/{urllib.request.quote(job_key, safe='')}")
        if status == 404:
            return None
        assert status == 200, body
        return body


_backend: Optional[Backend] = None


def backend() -> Backend:
    """The backend the test run shares, started on first use."""
    global _backend
    if _backend is None:
        _backend = Backend()
        atexit.register(stop_backend)
        _backend.start()
    elif _backend.process is None or _backend.process.poll() is not None:
        _backend.start()
    return _backend


def stop_backend() -> None:
    global _backend
    if _backend is not None:
        _backend.remove()
        _backend = None


class FaultProxy:
    """A proxy between the reporter and the backend that answers with the
    faults a test queues (a status, a pause longer than the reporter waits,
    a dropped connection) before it passes requests on, and counts what it
    saw. It serves as a reverse proxy (the reporter's URL points at it), as
    a forward proxy (HTTP_PROXY points at it), and over TLS."""

    def __init__(self, target: str, tls: Optional[Tuple[str, str]] = None):
        self.target = target.rstrip("/")
        self.faults: List[Tuple[Any, ...]] = []
        self.requests: List[Dict[str, Any]] = []
        # What the backend answered to each request passed on: (status, body).
        self.forwarded: List[Tuple[int, Any]] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with proxy.lock:
                    proxy.requests.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": json.loads(body.decode("utf-8")) if body else None,
                        }
                    )
                    fault = proxy.faults.pop(0) if proxy.faults else None
                if fault and fault[0] == "status":
                    _, code, headers = fault
                    payload = json.dumps({"error": {"name": "Fault", "message": "injected"}}).encode()
                    self.send_response(code)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if fault and fault[0] == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault and fault[0] == "pause":
                    time.sleep(fault[1])
                # Pass it on: the path alone, or the absolute URL a client
                # sends a forward proxy.
                path = self.path
                if path.startswith("http"):
                    path = "/" + path.split("/", 3)[3]
                url = proxy.target + path[len("/api/monitor") :] if path.startswith("/api/monitor") else proxy.target + path
                request = urllib.request.Request(
                    url,
                    data=body,
                    method="POST",
                    headers={
                        key: value
                        for key, value in self.headers.items()
                        if key.lower() in ("content-type", "x-tc-portal-webhook-secret")
                    },
                )
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                try:
                    with opener.open(request, timeout=30) as response:
                        code, answer = response.status, response.read()
                except urllib.error.HTTPError as error:
                    code, answer = error.code, error.read()
                with proxy.lock:
                    proxy.forwarded.append((code, json.loads(answer.decode("utf-8") or "null")))
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://localhost:{self.port}"

    @property
    def report_url(self) -> str:
        return f"{self.url}/api/monitor/job-report"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def self_signed_certificate(folder: str) -> Tuple[str, str]:
    """A certificate for localhost and its key, made with openssl."""
    certificate = os.path.join(folder, "localhost.pem")
    key = os.path.join(folder, "localhost-key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            key,
            "-out",
            certificate,
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key
