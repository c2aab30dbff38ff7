"""Kammerwerk settings: everything configurable comes from the environment.

Typed helpers fail fast on a bad value; a secret may be given as ``NAME_FILE``
pointing at a file that holds it (Docker/systemd credentials).
"""

import hashlib
import re
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kammerwerk.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KAMMERWERK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("KAMMERWERK_INSECURE_DEV_KEY", False):
        raise RuntimeError("SECRET_KEY must be set (or DEBUG=1 for local development).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 – refused unless DEBUG or opted in

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "axes",
    "ninja",  # the API's OpenAPI page: swagger-ui from the wheel's static files, never a CDN
    "core",
    "accounts",
    "contacts",
    "advisory",
    "events",
    "portal",
    "newsletter",
    "climate",
    "competition",
    "networks",
    "reports",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.GermanFirstLocaleMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kammerwerk.urls"
WSGI_APPLICATION = "kammerwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "core.context_processors.csrf_token",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kammerwerk.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 600))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two bookings cannot
    # both read "free" and then both write; WAL lets the worker and the web server
    # read while the other writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):  # a fresh checkout has no var/ yet
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL plans every statement it is sent: for a page's one join of nine tables that took
    # more CPU than the page itself (benchmarks/profiles/planning-2026-12-02.md). With the
    # parameters bound on the server the SQL text of a query stays the same from visitor to
    # visitor, so psycopg prepares it on the connection after PREPARE_THRESHOLD runs and
    # PostgreSQL can reuse the plan. Off (0) behind a pooler in transaction mode before PgBouncer 1.21.
    prepare_threshold = env_int("DATABASE_PREPARE_THRESHOLD", 2)
    if prepare_threshold > 0:
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": prepare_threshold}
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Background jobs ------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "core.taskqueue.DatabaseBackend"),
        "QUEUES": ["default", "mail", "bulk"],
    }
}

# --- Caches (login rate limit, throttles) --------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kammerwerk_cache",
    }
}
if env_str("REDIS_URL", ""):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}

# --- API ------------------------------------------------------------------------
# requests per token (or per address without one) in a fixed window of API_RATE_WINDOW seconds
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)

# --- Auth -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserRolesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Login rate limit (django-axes): 5 failures per username+IP lock for an hour.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One key for every login form (ours posts the address as "email", the admin's as "username") …
AXES_USERNAME_CALLABLE = "accounts.login.login_username"
# … and the visitor's address as everywhere else (behind the proxy: the address it forwarded).
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

SESSION_ENGINE = "core.sessions"  # Django's database sessions, the read compiled once (core/sessions.py)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind the documented TLS proxy: trust its X-Forwarded-Proto and the address it appends to
# X-Forwarded-For (core.http.client_ip); without it, neither header is believed.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Behind TLS: plain HTTP is redirected (except the health check, which monitors call locally) and
# browsers are told to use HTTPS only (HSTS; Django sends it on HTTPS responses only).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60 * 60 * 24 * 365 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a decision of whoever owns the whole domain, not of one application on it.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
# Content-Security-Policy (core.middleware.SecurityHeadersMiddleware): scripts and style sheets
# from our own origin only, no inline script (JSON-LD blocks are data and not affected); style
# attributes stay allowed (mail previews and a few images use them), <style> elements do not.
_SITE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL))
_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:", _SITE_ORIGIN],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# In development only reported (browser console), so Django's debug pages keep their inline styles.
SECURE_CSP = {} if DEBUG else _CONTENT_SECURITY_POLICY
SECURE_CSP_REPORT_ONLY = _CONTENT_SECURITY_POLICY if DEBUG else {}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
}  # fmt: skip
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# The Django admin (accounts with is_staff only) lives at a path of its own, not at the well-known
# /admin/. Without ADMIN_URL: "admin/" with DEBUG, else a path derived from the secret key.
ADMIN_URL = env_str(
    "ADMIN_URL",
    "admin/" if DEBUG else f"verwaltung-{hashlib.sha256(b'admin-url:' + SECRET_KEY.encode()).hexdigest()[:16]}/",
)
if not re.fullmatch(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/", ADMIN_URL):
    raise ConfigurationError(
        f"ADMIN_URL must be a relative path ending in '/', e.g. 'verwaltung-x7q/', got {ADMIN_URL!r}"
    )

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = []  # every app keeps its own <app>/locale
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "kammerwerk_language"

# --- Static files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("KAMMERWERK_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Mail -----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kammerwerk <industrie@kammerwerk.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)

# --- Kammerwerk -------------------------------------------------------------------
KAMMERWERK_ORGANISATION_NAME = env_str("KAMMERWERK_ORGANISATION_NAME", "IHK Nord Westfalen – Industrie")
# The worker writes a heartbeat; /healthz calls it dead after this many seconds.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120)

# --- Newsletter (newsletter/README.md, "Settings") -----------------------------
# Messages per second per sending worker; 0 = as fast as the SMTP server takes them.
NEWSLETTER_MAX_PER_SECOND = env_int("NEWSLETTER_MAX_PER_SECOND", 0)
# Recipients claimed and sent over one SMTP connection at a time.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 500)
# Sending tasks per issue (start as many worker processes for the "bulk" queue).
NEWSLETTER_PARALLEL = env_int("NEWSLETTER_PARALLEL", 1)
# SMTP connections each sending task uses side by side.
NEWSLETTER_CONNECTIONS = env_int("NEWSLETTER_CONNECTIONS", 1)
# Hours a double opt-in confirmation link stays valid.
NEWSLETTER_CONFIRM_HOURS = env_int("NEWSLETTER_CONFIRM_HOURS", 48)
# Store the sign-up IP address with the consent (off unless asked for).
NEWSLETTER_STORE_IP = env_bool("NEWSLETTER_STORE_IP", False)
# Seconds after which a batch claimed by a dead worker is taken over.
NEWSLETTER_STALE_AFTER = env_int("NEWSLETTER_STALE_AFTER", 300)
# Envelope sender (Return-Path) of issues, where bounce reports go; default the From address.
NEWSLETTER_BOUNCE_ADDRESS = env_str("NEWSLETTER_BOUNCE_ADDRESS", "") or parseaddr(DEFAULT_FROM_EMAIL)[1]
# Temporary bounces (DSN 4.x.x) in a row after which an address is suppressed.
NEWSLETTER_SOFT_BOUNCE_LIMIT = env_int("NEWSLETTER_SOFT_BOUNCE_LIMIT", 5)
for _name in (
    "NEWSLETTER_BATCH_SIZE",
    "NEWSLETTER_PARALLEL",
    "NEWSLETTER_CONNECTIONS",
    "NEWSLETTER_CONFIRM_HOURS",
    "NEWSLETTER_SOFT_BOUNCE_LIMIT",
):
    if globals()[_name] < 1:
        raise ConfigurationError(f"{_name} must be at least 1, got {globals()[_name]}")
if NEWSLETTER_MAX_PER_SECOND < 0 or NEWSLETTER_STALE_AFTER < 0:
    raise ConfigurationError("NEWSLETTER_MAX_PER_SECOND and NEWSLETTER_STALE_AFTER must not be negative")

# --- Webhooks (webhooks/README.md) ----------------------------------------------
# Allow endpoints on loopback and private networks (tests, an intranet receiver). Link-local and
# cloud-metadata addresses are refused regardless.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
