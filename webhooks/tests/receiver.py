"""A real HTTP server on 127.0.0.1 in a thread that records every webhook it receives.

``Receiver(answers=[500, 200])`` answers the first request with 500, then 200 (the last answer
repeats). ``hold_at=n`` keeps the n-th request open until :meth:`release` (to kill a worker mid-POST).
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def webhook_id(self) -> str:
        return self.headers["Webhook-Id"]

    @property
    def document(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self, answers=(200,), hold_at: int | None = None):
        self.answers = list(answers)
        self.hold_at = hold_at
        self.requests: list[Received] = []
        self.held = threading.Event()  # set when the held request has arrived
        self._release = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests.append(Received(headers=dict(self.headers.items()), body=body))
                    number = len(receiver.requests)
                    answer = receiver.answers[min(number, len(receiver.answers)) - 1]
                if number == receiver.hold_at:
                    receiver.held.set()
                    receiver._release.wait(30)
                self.send_response(answer)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def release(self) -> None:
        self._release.set()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()

    @property
    def ids(self) -> list[str]:
        with self._lock:
            return [request.webhook_id for request in self.requests]
