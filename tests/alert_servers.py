"""A local SMTP server and a local webhook (HTTP) server on 127.0.0.1, for alert tests."""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Received:
    mails: list[email.message.EmailMessage] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Mailbox:
    def __init__(self, received: Received):
        self.received = received

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.received.mails.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@contextlib.contextmanager
def servers() -> Iterator[tuple[Received, dict[str, str]]]:
    """Both servers running; yields what they received and the FOREBYG_ALERT_* settings
    that point at them."""
    from aiosmtpd.controller import Controller

    received = Received()

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.posts.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    smtp = Controller(_Mailbox(received), hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        yield (
            received,
            {
                "FOREBYG_ALERT_SMTP_HOST": "127.0.0.1",
                "FOREBYG_ALERT_SMTP_PORT": str(smtp.port),
                "FOREBYG_ALERT_FROM": "forebyg@kommune.test",
                "FOREBYG_ALERT_TO": "drift@kommune.test, oekonomi@kommune.test",
                "FOREBYG_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{web.server_address[1]}/hook",
            },
        )
    finally:
        smtp.stop()
        web.shutdown()
        web.server_close()
