"""Gunicorn's settings for this app, in one place: `make run` and the load benchmark (bench/bench_scan_load.py)
both serve with them, so the benchmark measures what `make run` serves. In production, pass --bind for the
address the reverse proxy reaches and set WORKERS to the number of cores.
"""

import os

workers = int(os.environ.get("WORKERS", "2"))
worker_class = "sync"
accesslog = "-"
# Gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl by default, shared by every gunicorn of the
# same user (a second one removes it from under the first); the app needs none.
control_socket_disable = True


def worker_exit(server, worker):
    """A worker that stops cleanly writes the scans it still holds (qr.scans.recorder); atexit does the same
    for servers other than gunicorn."""
    app = getattr(worker, "wsgi", None)
    recorder = getattr(app, "extensions", {}).get("scan_recorder")
    if recorder is not None:
        recorder.close()
