"""A counting SMTP sink for the newsletter benchmark (aiosmtpd on 127.0.0.1).

    python benchmarks/newsletter_sink.py PORT RECORD_FILE

Writes one line per accepted message: "<recipient>\t<Message-ID>". Nothing is parsed beyond that.
"""

import re
import sys
import time

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.M | re.I)


class Handler:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)  # noqa: SIM115 – open for the process's lifetime

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content[:4000]
        match = MESSAGE_ID.search(head)
        message_id = match.group(1).decode() if match else "-"
        for rcpt in envelope.rcpt_tos:
            self.out.write(f"{rcpt}\t{message_id}\n")
        return "250 OK"


if __name__ == "__main__":
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Handler(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()
