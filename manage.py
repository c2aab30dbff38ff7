#!/usr/bin/env python
import os
import sys

# Commands that only read code may run without a configured SECRET_KEY; everything
# that serves, sends or signs (runserver, worker, migrate with data) still needs one.
CODE_ONLY_COMMANDS = {"makemigrations", "check", "makemessages", "compilemessages", "showmigrations"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
    if len(sys.argv) > 1 and sys.argv[1] in CODE_ONLY_COMMANDS:
        os.environ.setdefault("KAMMERWERK_INSECURE_DEV_KEY", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
