"""Read bounce reports (DSN, RFC 3464) and suppress hard-bouncing addresses.

manage.py newsletter_bounces report1.eml report2.eml
manage.py newsletter_bounces --maildir /var/mail/bounces   (new/ and cur/; processed files move to .processed/)
manage.py newsletter_bounces --mbox bounces.mbox
cat report.eml | manage.py newsletter_bounces -
"""

import mailbox
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.dsn import parse_dsn
from newsletter.services import bounce_apply


class Command(BaseCommand):
    help = "Read DSN bounce reports and mark hard-bouncing newsletter addresses as undeliverable."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Message files (.eml); '-' reads one from standard input.")
        parser.add_argument("--maildir", help="A Maildir of bounce reports.")
        parser.add_argument("--mbox", help="An mbox file of bounce reports.")

    def handle(self, *args, files, maildir, mbox, **options):
        counts = Counter()
        sources = []
        for name in files:
            if name == "-":
                sources.append(("stdin", sys.stdin.buffer.read(), None))
            else:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"Keine Datei: {name}")
                sources.append((name, path.read_bytes(), None))
        if mbox:
            for key, message in mailbox.mbox(mbox).items():
                sources.append((f"{mbox}#{key}", message.as_bytes(), None))
        if maildir:
            box = mailbox.Maildir(maildir, create=False)
            done = Path(maildir) / ".processed"
            done.mkdir(exist_ok=True)
            for key in list(box.keys()):
                sources.append((key, box.get_bytes(key), (box, key, done)))
        if not sources:
            raise CommandError("Nichts zu lesen: Dateien, --maildir oder --mbox angeben.")
        for name, raw, maildir_entry in sources:
            reports = parse_dsn(raw)
            if not reports:
                counts["not a DSN"] += 1
            for report in reports:
                result = bounce_apply(report)
                counts[result] += 1
                self.stdout.write(f"{name}: {report.recipient} {report.status} → {result}")
            if maildir_entry:
                box, key, done = maildir_entry
                (done / key).write_bytes(raw)
                box.remove(key)
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in sorted(counts.items())))
