"""Gunicorn's settings for this app, in one place: `make run` and the load benchmark (bench/bench_scan_load.py)
both serve with them, so the benchmark measures what `make run` serves. In production, pass --bind for the
address the reverse proxy reaches and set WORKERS to the number of cores.

Scans go from the workers to a writer in the master through a pipe (qr/scans/channel.py): the hooks below open
it before the workers start and drain it after they stop, so a clean shutdown loses no scan.
"""

import os

workers = int(os.environ.get("WORKERS", "2"))
worker_class = "sync"
accesslog = "-"
# Gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl by default, shared by every gunicorn of the
# same user (a second one removes it from under the first); the app needs none.
control_socket_disable = True


def on_starting(server):
    from qr.scans import channel, recorder

    channel.open_in_master(*recorder.master_settings())


def post_fork(server, worker):
    from qr.scans import channel

    channel.in_worker()


def worker_exit(server, worker):
    """A worker that stops cleanly writes the scans it kept itself (a full pipe); atexit does the same for
    servers other than gunicorn."""
    app = getattr(worker, "wsgi", None)
    recorder = getattr(app, "extensions", {}).get("scan_recorder")
    if recorder is not None:
        recorder.close()


def on_exit(server):
    from qr.scans import channel

    written = channel.close_in_master()
    if written is not None:
        server.log.info("Scans written by the master: %s", written)
