"""Settings for the whole site, in one module, every knob read from the environment.

Local defaults run on a bare machine (SQLite, django-q2's ORM broker, local-memory cache,
console email). ``DJANGO_ENV=production`` turns on the hardening that
``manage.py check --deploy`` expects and refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import tempfile
from pathlib import Path

import csp.constants as csp
import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off when DJANGO_ENV=production: it shows settings and data in error pages."
    )
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    # A fixed key is fine for a laptop: it signs nothing that leaves the machine.
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,testserver")
if PRODUCTION and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name this site's host names when DJANGO_ENV=production (not empty, "
        "not '*'): links in emails are built from the Host header."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps, lowest layer first: audit <- cms <- workflows <- calendar_feed, exports.
    "audit",
    # Health check, logs, page cache and queue helpers; reads cms (purges on its changes).
    "ops",
    "accounts",
    "cms",
    "workflows",
    "records",
    # Service insights: reads workflows, records and cms; nothing imports it.
    "insights",
    "calendar_feed",
    "exports",
    # Wagtail
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django_q",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # One structured log line per request (ops/middleware.py), outermost so it times it all.
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (accounts/middleware.py).
    "accounts.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous public pages from the shared cache (ops/page_cache.py); needs request.user
    # and stays inside the header middleware above, so cached pages get fresh headers.
    "ops.page_cache.PublicPageCacheMiddleware",
    # Second factor and session lifetime; order matters (see accounts/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # django-axes must be last: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task cluster writes; IMMEDIATE makes writers
    # queue for the lock instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not shared-cache memory: memory databases lock whole tables and ignore
    # the busy timeout, so concurrency tests would measure SQLite's test mode, not the app.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"supervision-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task queue ---------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers each get their own Redis database: a test's cache.clear() is a
    # FLUSHDB, which would otherwise wipe another worker's rate-limit counters mid-test.
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    _base, _, _db = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_base}/{int(_db or 0) + _worker}"
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a lost Redis answers as misses, not errors (ops/cache.py).
            "BACKEND": "ops.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "supervision"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache and written to both: they survive a lost or flushed Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds an anonymous public page is kept (ops/page_cache.py); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_MODELS = frozenset(
    {
        "cms.HomePage",
        "cms.ServicePage",
        "cms.SupervisorIndexPage",
        "cms.SupervisorPage",
        "cms.PolicyPage",
        "cms.StandardPage",
    }
)
# /healthz reports "degraded" when no cluster has run its heartbeat for this many seconds.
HEALTH_HEARTBEAT_MAX_AGE = int(env("HEALTH_HEARTBEAT_MAX_AGE", "300"))

# django-q2 warns unless retry > timeout: a task may run for up to `timeout` seconds and is
# handed to another worker only after `retry` seconds without an acknowledgement.
Q_CLUSTER: dict[str, object] = {
    "name": env("Q_CLUSTER_NAME", "supervision"),
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": int(env("Q_TIMEOUT", "120")),
    "retry": int(env("Q_RETRY", "180")),
    "max_attempts": int(env("Q_MAX_ATTEMPTS", "5")),
    "catch_up": False,
    "sync": env_bool("Q_SYNC", default=False),
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
# Emails: the first retry waits this long, each next one twice as long (at most an hour).
EMAIL_RETRY_BASE_SECONDS = int(env("EMAIL_RETRY_BASE_SECONDS", "60"))
# An email never tried after this many seconds lost its task; the sweep sends it.
EMAIL_SWEEP_GRACE_SECONDS = int(env("EMAIL_SWEEP_GRACE_SECONDS", "60"))
# Emailed links that expired, were revoked or used this many days ago are deleted (daily).
LINK_PURGE_DAYS = int(env("LINK_PURGE_DAYS", "30"))

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# django-axes first: it refuses a locked-out username or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Outside production WhiteNoise serves straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Encryption at rest (see config/encryption.py) -------------------------------------------
# Comma-separated Fernet keys, newest first. Development derives one from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DJANGO_ENV=production.")
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(("field-encryption:" + SECRET_KEY).encode()).digest()
        ).decode()
    ]

# --- Email -------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Sign-in links, set-up links and supervisees' magic links travel by email: a backend that
# prints or stores them (console, file, locmem, dummy) would put them in a log or on disk.
_LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
if PRODUCTION and EMAIL_BACKEND in _LOCAL_EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} prints, stores or drops email and is for local use only; "
        "with DJANGO_ENV=production set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend "
        "(and EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS)."
    )
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Supervision Service <supervision@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SERVICE_INBOX_EMAIL = env("SERVICE_INBOX_EMAIL", "supervision-team@example.org")

# --- Bookings ------------------------------------------------------------------------------
MAGIC_LINK_DAYS = int(env("MAGIC_LINK_DAYS", "7"))
PUBLIC_FORM_LIMIT_PER_HOUR = int(env("PUBLIC_FORM_LIMIT_PER_HOUR", "5"))
AGREEMENT_REVIEW_MONTHS = int(env("AGREEMENT_REVIEW_MONTHS", "12"))

# --- Calendar feeds (calendar_feed) ------------------------------------------------------------
CALENDAR_FEED_NAME = env("CALENDAR_FEED_NAME", "Supervision")
# Seconds a client may reuse a feed before asking again (it then gets a cheap 304).
CALENDAR_FEED_MAX_AGE = int(env("CALENDAR_FEED_MAX_AGE", "900"))
# Seconds a rendered feed is kept; any change to one of its sessions makes a new entry anyway.
CALENDAR_FEED_CACHE_SECONDS = int(env("CALENDAR_FEED_CACHE_SECONDS", "3600"))

# --- Session records (records/) ------------------------------------------------------------
# A record is due this many working days (Mon-Fri) after its session is marked held.
RECORD_DUE_WORKING_DAYS = int(env("RECORD_DUE_WORKING_DAYS", "5"))
# Record content is removed this many days after the session (default about six years).
RECORD_RETENTION_DAYS = int(env("RECORD_RETENTION_DAYS", str(6 * 365)))
# A Unicode TrueType font for record PDFs; without one, Helvetica (Latin-1 only) is used.
RECORD_PDF_FONT = env("RECORD_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# --- Excel exports (exports/) ------------------------------------------------------------
# Exports with more rows than this are built by the task cluster, with a download link after.
EXPORT_ASYNC_ROWS = int(env("EXPORT_ASYNC_ROWS", "20000"))
# Finished background exports are deleted this many hours after they were made.
EXPORT_FILE_HOURS = int(env("EXPORT_FILE_HOURS", "24"))
# Where background exports are kept until then: private, never under MEDIA_ROOT.
EXPORT_FILES_ROOT = Path(env("EXPORT_FILES_ROOT", str(BASE_DIR / "private" / "exports")))

# --- Wagtail -----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env("SITE_NAME", "Safeguarding Supervision Service")
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
# Pages are published by staff directly; Wagtail's page-moderation workflows are not used, and
# their "Workflows" menus sat beside our booking processes (Admin → Processes). Off.
WAGTAIL_WORKFLOW_ENABLED = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

REST_FRAMEWORK = {
    # The headless API is read-only and public: no browsable forms, JSON only.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# --- Security ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP inside the network; a redirect is not an answer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this exact host, path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Sign-in security (accounts/; see SECURITY.md) -------------------------------------------
# Signed-in sessions end after 30 minutes without a request and 12 hours after sign-in,
# enforced on the server by accounts.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_ABSOLUTE_TIMEOUT = int(env("SESSION_ABSOLUTE_HOURS", "12")) * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# django-axes: 5 failed sign-ins for one username (from anywhere), counted also per username
# and address, pause sign-in for 15 minutes. Unknown usernames are counted and locked exactly
# like real ones. A success never resets the count by itself (axes would clear every username
# seen from that address): accounts.mfa clears only the signed-in username, and only once the
# second factor has passed.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username"], ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
# Accounts are made without a password; the owner is emailed a set-up link (accounts/
# invitations.py) valid this long. Passwords and email addresses change only on our pages that
# ask for the password and a code again, so Wagtail's own forms for them are off.
ACCOUNT_SETUP_LINK_HOURS = int(env("ACCOUNT_SETUP_LINK_HOURS", "72"))
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Password reset requests per hour from one address, and for one email address.
PASSWORD_RESET_LIMIT_PER_HOUR = int(env("PASSWORD_RESET_LIMIT_PER_HOUR", "5"))
# Number of reverse proxies in front of the app that append to X-Forwarded-For (0: none,
# use the socket address). Never set it higher than the real count: the header is spoofable.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# The admin must not call out to third parties (privacy, and CSP connect-src is 'self').
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Strict policy for the public site; accounts.middleware.SecurityHeadersMiddleware adds
# style-src 'unsafe-inline' for /admin/ only, and frame-ancestors 'self' for Wagtail's preview.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:", "blob:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "frame-src": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "upgrade-insecure-requests": PRODUCTION,
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# `make backup` writes backups/<timestamp>/ here (accounts/backups.py); keep it off the web root.
BACKUP_ROOT = Path(env("BACKUP_ROOT", str(BASE_DIR / "backups")))

# "json": one JSON object per line (ops/logging.py), the default in production; "text" locally.
LOG_FORMAT = env("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secret tokens in magic-link and feed URLs never reach a log (accounts/logging.py).
    "filters": {"redact_tokens": {"()": "accounts.logging.RedactTokensFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "ops.logging.JsonLinesFormatter"},
        "text": {"format": "{message}", "style": "{"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            "formatter": LOG_FORMAT if LOG_FORMAT in {"json", "text"} else "text",
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default "django" logger, whose own console handler (DEBUG only) and
        # mail_admins handler would otherwise survive this config unfiltered and print, e.g.,
        # the CSRF-failure line with its /b/<token>/ path. No handler mails log records.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "gunicorn.access": {
            "handlers": ["console"],
            "propagate": False,
            "filters": ["redact_tokens"],
            # ops.request logs each request with its fields; gunicorn's line would repeat it.
            "level": env("ACCESS_LOG_LEVEL", "WARNING"),
        },
        "gunicorn.error": {
            "handlers": ["console"],
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "django.db.backends": {"level": "WARNING"},
        # One line per request in production (ops/middleware.py); quiet locally (runserver
        # prints its own).
        "ops.request": {"level": env("REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
        # django-axes logs every sign-in at INFO; failures and lockouts still show (WARNING).
        "axes": {"level": "WARNING"},
        # Wagtail logs every page save and background task at INFO; too chatty for a console.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
