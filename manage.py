#!/usr/bin/env python
import os
import sys

# Commands that only read code run without a configured SECRET_KEY even when DEBUG is off.
CODE_ONLY_COMMANDS = {"makemigrations", "check", "makemessages", "compilemessages", "showmigrations"}


def local_defaults(environ, argv) -> str:
    """A checkout without a SECRET_KEY is somebody's local development copy: management commands
    run with DEBUG on (the insecure development key, SQLite under var/), as the README's commands
    are written. A server is configured with SECRET_KEY (or SECRET_KEY_FILE) and is not affected;
    gunicorn (kammerwerk.wsgi) never gets these defaults and refuses to start without a key.

    Returns a note for stderr when the defaults were applied, else "".
    """
    if environ.get("SECRET_KEY") or environ.get("SECRET_KEY_FILE"):
        return ""
    if "DEBUG" not in environ and "DEBUG_FILE" not in environ:
        environ["DEBUG"] = "1"
        return "No SECRET_KEY set: running as local development (DEBUG=1, insecure key)."
    if len(argv) > 1 and argv[1] in CODE_ONLY_COMMANDS:
        environ.setdefault("KAMMERWERK_INSECURE_DEV_KEY", "1")
    return ""


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
    note = local_defaults(os.environ, sys.argv)
    if note:
        print(note, file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
