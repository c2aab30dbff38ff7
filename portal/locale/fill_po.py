"""Write the translations of ``translations_en.py`` into ``en/LC_MESSAGES/django.po``.

Run after ``makemessages -l en``: ``.venv/bin/python portal/locale/fill_po.py``. Fails on a missing translation.
"""

import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from translations_en import EN  # noqa: E402

PO = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> int:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    missing, out = [], []
    for block in blocks:
        lines = block.split("\n")
        keys, key = {}, None
        for line in lines:
            for prefix in ("msgid_plural ", "msgid ", "msgstr[0] ", "msgstr[1] ", "msgstr "):
                if line.startswith(prefix):
                    key = prefix.strip()
                    keys[key] = ast.literal_eval(line[len(prefix) :])
                    break
            else:
                if line.startswith('"') and key:
                    keys[key] += ast.literal_eval(line)
        msgid = keys.get("msgid")
        if not msgid:
            out.append(block)
            continue
        head = [line for line in lines if line.startswith("#") and line != "#, fuzzy"]
        head = [line.replace("#, fuzzy, ", "#, ") for line in head]
        if "msgid_plural" in keys:
            translation = EN.get((msgid, keys["msgid_plural"]))
            if translation is None:
                missing.append(msgid)
                out.append(block)
                continue
            body = [f"msgid {_quote(msgid)}", f"msgid_plural {_quote(keys['msgid_plural'])}",
                    f"msgstr[0] {_quote(translation[0])}", f"msgstr[1] {_quote(translation[1])}"]  # fmt: skip
        else:
            translation = EN.get(msgid)
            if translation is None:
                missing.append(msgid)
                out.append(block)
                continue
            body = [f"msgid {_quote(msgid)}", f"msgstr {_quote(translation)}"]
        out.append("\n".join(head + body))
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid in missing:
        print("missing:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
