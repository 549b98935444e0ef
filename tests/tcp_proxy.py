"""A TCP proxy in threads, to take a database away from an app and give it back without touching the server.

    proxy = TcpProxy("127.0.0.1", 5432).open()   # the app connects to 127.0.0.1:proxy.port
    proxy.close()                                 # refuse new connections and cut every open one
    proxy.open()                                  # listen again on the same port

Run as a script it serves until interrupted (used to try gunicorn against it by hand):
    python -m tests.tcp_proxy 127.0.0.1 5432 5849   # then kill -USR1 PID toggles it off and on
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading


class TcpProxy:
    def __init__(self, host: str, port: int, listen_port: int = 0) -> None:
        self.target = (host, port)
        self.port = listen_port
        self.accepted = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._listener is not None

    def open(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="tcp-proxy-accept", daemon=True).start()
        return self

    def close(self) -> None:
        """Stop listening (new connections are refused) and cut every connection passing through."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            listener.close()
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            self._cut(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # closed meanwhile
                    client.close()
                    upstream.close()
                    return
                self._sockets.update((client, upstream))
                self.accepted += 1
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), name="tcp-proxy-pump", daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets.discard(src)
                self._sockets.discard(dst)
            self._cut(src)
            self._cut(dst)

    @staticmethod
    def _cut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


def main(argv: list[str]) -> None:
    host, port, listen_port = argv[0], int(argv[1]), int(argv[2])
    proxy = TcpProxy(host, port, listen_port).open()

    def toggle(_signum, _frame):
        if proxy.is_open:
            proxy.close()
            print("proxy closed: connections cut, new ones refused", flush=True)
        else:
            proxy.open()
            print(f"proxy open on 127.0.0.1:{proxy.port}", flush=True)

    signal.signal(signal.SIGUSR1, toggle)
    print(f"proxy open on 127.0.0.1:{proxy.port} -> {host}:{port}", flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    main(sys.argv[1:])
