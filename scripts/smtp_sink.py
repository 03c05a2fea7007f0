#!/usr/bin/env python3
"""A real SMTP server for qyzmet's informing tests and benchmarks (aiosmtpd).

Listens on 127.0.0.1 (the port given, or a free one), prints "PORT <n>" on stdout when it
accepts connections, and appends every message it accepts to OUT as one JSON line:
{"message_id", "from", "to", "subject", "body", "at"} - the parsed message, as a mail client
would read it, and when it was accepted (Unix seconds). Runs until killed.

    python3 scripts/smtp_sink.py OUT [PORT]
"""
import email
import email.policy
import json
import signal
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.out = open(path, "a", encoding="utf-8")

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "message_id": str(msg.get("Message-ID", "")),
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(msg.get("Subject", "")),
            "body": body.get_content() if body is not None else "",
            "at": time.time(),
        }
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()
        return "250 OK"


def main():
    out = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if port == 0:
        # aiosmtpd checks its own port after binding it, so it must be told one.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    # The server runs on a thread of its own; this one waits for a signal.
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"PORT {port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
