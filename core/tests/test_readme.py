"""What the README and .env.example promise, checked as a newcomer or an operator would use them.

- every command in the README's "other useful commands" works copied as written on a fresh checkout
  (no SECRET_KEY, no DEBUG, no database yet);
- gunicorn still refuses to start without a SECRET_KEY;
- every variable the code reads from the environment is listed in ``.env.example``;
- the production recipe reads ``.env.example`` with its values intact (spaces included), and
  ``manage.py check --deploy`` is clean with those settings;
- behind the TLS proxy, responses carry HSTS and the security headers, and plain HTTP is redirected.
"""

import json
import os
import re
import secrets
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# What the test process carries that a fresh checkout would not have.
TEST_ONLY_VARIABLES = (
    "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "KAMMERWERK_INSECURE_DEV_KEY", "KAMMERWERK_PLAIN_STATIC",
    "ALLOWED_HOSTS", "DATABASE_URL", "TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE", "KAMMERWERK_VAR_DIR",
)  # fmt: skip


def fresh_checkout_environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    env["KAMMERWERK_VAR_DIR"] = str(var_dir)  # stands for the checkout's own var/, which does not exist yet
    return env


def readme_commands() -> list[str]:
    """The commands of the README's "Other useful commands" block, comments removed."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("Other useful commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]


# Run here, copied as written from the README (after `make migrate`, which they need).
RUN = {
    ".venv/bin/python manage.py figures --year 2020",
    ".venv/bin/python manage.py figures --year 2020 --json",
    ".venv/bin/python manage.py worker",
}
# Checked only as far as is cheap: the make targets exist (`make -n`), manage.py commands start (`--help`).
EXPENSIVE = {
    "make smoke": "runs part of the suite",
    "make lint": "installs first; CI runs it",
    "make format": "changes files",
    "make lock": "resolves from the package registry",
    "make migrate": "installs first; the test runs the same `manage.py migrate`",
    ".venv/bin/python manage.py seed_demo": "half a minute; seed_demo has its own tests",
    ".venv/bin/python manage.py seed_scale --organisations 100000": "a benchmark data set",
}


def test_every_readme_command_is_run_or_checked_here():
    assert set(readme_commands()) == RUN | set(EXPENSIVE), "classify new README commands in RUN or EXPENSIVE"


def _run(command: str, env, **kwargs) -> subprocess.CompletedProcess:
    arguments = shlex.split(command)
    if arguments[0] == ".venv/bin/python":
        arguments[0] = PYTHON  # the same interpreter as .venv/bin/python in a checkout
    return subprocess.run(arguments, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def fresh_checkout(tmp_path_factory):
    """The environment of a fresh checkout after `make migrate` (the same `manage.py migrate`)."""
    var_dir = tmp_path_factory.mktemp("checkout") / "var"
    env = fresh_checkout_environment(var_dir)
    migrate = _run(".venv/bin/python manage.py migrate --no-input -v 0", env)
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    assert (var_dir / "kammerwerk.sqlite3").exists()  # var/ was created on the way
    return env, var_dir


def test_readme_commands_work_as_written_on_a_fresh_checkout(fresh_checkout):
    env, _var_dir = fresh_checkout
    figures = _run(".venv/bin/python manage.py figures --year 2020 --json", env)
    assert figures.returncode == 0, figures.stderr[-2000:]
    assert "advisory.talks" in json.loads(figures.stdout)
    plain = _run(".venv/bin/python manage.py figures --year 2020", env)
    assert plain.returncode == 0 and "advisory.talks" in plain.stdout

    for command in EXPENSIVE:
        if command.startswith("make "):
            dry_run = subprocess.run(["make", "-n", *command.split()[1:]], cwd=ROOT, capture_output=True, text=True)
            assert dry_run.returncode == 0, (command, dry_run.stderr)
        else:
            name = shlex.split(command)[2]
            assert _run(f".venv/bin/python manage.py {name} --help", env).returncode == 0, command


def test_the_worker_command_starts_and_reports_alive_on_a_fresh_checkout(fresh_checkout):
    env, var_dir = fresh_checkout
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "worker"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 120
        beats = 0
        while time.monotonic() < deadline and worker.poll() is None and not beats:
            with sqlite3.connect(var_dir / "kammerwerk.sqlite3", timeout=30) as database:
                beats = database.execute("SELECT COUNT(*) FROM core_workerheartbeat").fetchone()[0]
            if not beats:
                time.sleep(0.5)  # polling for the worker's first heartbeat, bounded by the deadline
        assert worker.poll() is None, worker.stdout.read()[-2000:]
        assert beats == 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    env = fresh_checkout_environment(tmp_path / "var")
    load_app = [PYTHON, "-c", "import kammerwerk.wsgi"]
    refused = subprocess.run(load_app, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    with_debug = subprocess.run(load_app, cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True)
    assert with_debug.returncode == 0, with_debug.stderr[-2000:]


# --- .env.example ---------------------------------------------------------------------------------

ENV_READ = re.compile(r"""\benv_(?:str|bool|int|list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
SETTING_READ = re.compile(r"""_setting\(\s*["']([A-Z][A-Z0-9_]*)["']\s*,\s*env_""")


def variables_read_by_the_code() -> dict[str, str]:
    """Every environment variable read through kammerwerk.env (settings and module conf), by file."""
    found = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "benchmarks"} or "tests" in relative.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for name in ENV_READ.findall(text) + SETTING_READ.findall(text):
            found.setdefault(name, str(relative))
    return found


def env_example_names() -> set[str]:
    """Variables ``.env.example`` sets or shows commented out (``# NAME=value``)."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_every_variable_the_code_reads_is_listed_in_env_example():
    read = variables_read_by_the_code()
    assert {"SECRET_KEY", "DATABASE_URL", "NEWSLETTER_BATCH_SIZE"} <= set(read)  # the scan finds them
    missing = {name: where for name, where in read.items() if name not in env_example_names()}
    assert not missing, f"read by the code but not in .env.example: {missing}"


def systemd_values(path: Path) -> dict[str, str]:
    """``NAME=value`` lines as systemd's EnvironmentFile reads them (surrounding double quotes removed)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    return values


def sourced_environment(env_file: Path, extra: str = "") -> dict[str, str]:
    """The environment after the README's recipe: ``set -a; . file; set +a``."""
    script = f'set -a; . "{env_file}"; set +a; {extra} exec "{PYTHON}" -c "import json, os; print(json.dumps(dict(os.environ)))"'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    assert result.returncode == 0 and not result.stderr, result.stderr
    return json.loads(result.stdout)


def test_the_production_recipe_reads_every_value_of_env_example_intact_even_with_spaces():
    expected = systemd_values(ROOT / ".env.example")
    assert expected["DEFAULT_FROM_EMAIL"] == "IHK Industrie <industrie@example-ihk.de>"
    sourced = sourced_environment(ROOT / ".env.example")
    assert {name: sourced.get(name) for name in expected} == expected


def _deploy_environment(secret_key: str) -> dict[str, str]:
    env = sourced_environment(ROOT / ".env.example")
    # No collectstatic here: plain static storage, so a page can render without the manifest.
    return {
        **env,
        "SECRET_KEY": secret_key,
        "DJANGO_SETTINGS_MODULE": "kammerwerk.settings",
        "KAMMERWERK_PLAIN_STATIC": "1",
    }


PRODUCTION_PROBE = """
import json
import django
from django.core.management import call_command
from django.core.management.base import SystemCheckError
django.setup()
from django.test import Client
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=open("/dev/null", "w"))
    check = "clean"
except SystemCheckError as error:
    check = str(error)
client = Client(HTTP_HOST="industrie.example-ihk.de")
https = client.get("/favicon.ico", HTTP_X_FORWARDED_PROTO="https")
http = client.get("/favicon.ico")
print(json.dumps({"check": check, "https": dict(https.headers), "http": [http.status_code, http.headers.get("Location")]}))
"""


def test_deploy_check_is_clean_and_headers_are_sent_with_the_production_settings_of_env_example():
    env = _deploy_environment(secrets.token_urlsafe(50))
    result = subprocess.run(
        [PYTHON, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["check"] == "clean"
    headers = probe["https"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert probe["http"] == [301, "https://industrie.example-ihk.de/favicon.ico"]


def test_deploy_check_catches_the_placeholder_secret_key_of_env_example():
    placeholder = systemd_values(ROOT / ".env.example")["SECRET_KEY"]
    env = _deploy_environment(placeholder)
    result = subprocess.run(
        [PYTHON, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert "security.W009" in json.loads(result.stdout.splitlines()[-1])["check"]
