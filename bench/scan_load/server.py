"""gunicorn as `make run` serves it (gunicorn.conf.py), on 127.0.0.1 and a free port; the pages checked first."""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from scan_load import PHONE, PRECHECK, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn_binary() -> str:
    beside = Path(sys.executable).with_name("gunicorn")
    if beside.exists():
        return str(beside)
    found = shutil.which("gunicorn")
    if not found:
        raise SystemExit("gunicorn not found next to the interpreter nor on PATH")
    return found


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def serve(url: str, port: int, work: Path, workers: str, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ, DATABASE_URL=url, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", SECRET_KEY=secrets.token_hex(32),
        INSTANCE_PATH=str(work / "instance"),
    )  # fmt: skip
    # The Makefile's `run` command (gunicorn.conf.py: sync workers, the access log to stdout, no control
    # socket), bound to 127.0.0.1 on a free port; the access log goes to the log file.
    env["WORKERS"] = workers
    command = [gunicorn_binary(), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("wb") as out:
        # The arguments are this script's own, not outside input.
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log_tail(log)}")
        try:
            status, _ = get(port, "/healthz", {})
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not answer /healthz with 200 within 60 s:\n{log_tail(log)}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # a clean shutdown: the workers write the scans they still hold
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get(port: int, path: str, headers: dict) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Content-Type") or ""
    finally:
        conn.close()


def precheck(port: int, paths: list[str]) -> None:
    """Every page must answer 200 with HTML: wrk counts a redirect as a success."""
    for path in paths[:PRECHECK]:
        status, content_type = get(port, path, PHONE)
        if status != 200 or not content_type.startswith("text/html"):
            raise SystemExit(f"GET {path} answered {status} {content_type!r}, not 200 text/html")
