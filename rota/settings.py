"""Django settings for Rota, read from environment variables (see README: Configuration)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from rota.env import (
    database_from_url,
    email_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("ROTA_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY", required=not (DEBUG or TESTING))
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789"  # noqa: S105
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rota",
    "accounts",
    "scheduling.requirements",
    "scheduling.availability",
    "scheduling.rotas",
    "scheduling.cover",
    "scheduling.oncall",
    "calendars",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.TeamMfaMiddleware",
]

ROOT_URLCONF = "rota.urls"
WSGI_APPLICATION = "rota.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rota.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rota.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if DEBUG or TESTING:
    # The local SQLite file and collected static files live here; create it on first run.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded evidence is private: it is served only through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024, minimum=1024)
# Evidence uploads: a subset of pdf, png, jpg, jpeg (the extension and the content are checked).
EVIDENCE_ALLOWED_EXTENSIONS = env_list("EVIDENCE_ALLOWED_EXTENSIONS", ["pdf", "png", "jpg", "jpeg"])

# Accounts and allauth: email is the login, sign-up is by invitation only.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Rota] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
ROTA_OPEN_SIGNUP = env_bool("ROTA_OPEN_SIGNUP", False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Rota"
# Callables (request, memberships) -> accounts.dashboard.Panel | None, added by the apps.
DASHBOARD_PANELS: list[str] = []
DASHBOARD_PANELS.append("scheduling.requirements.panels.ready_panel")
DASHBOARD_PANELS.append("scheduling.oncall.panels.oncall_panel")
DASHBOARD_PANELS.append("scheduling.cover.panels.asked_panel")  # "you are asked to cover …"
DASHBOARD_PANELS.append("accounts.needs.needs_you_panel")  # managers: what waits for them
# The lines of "Needs you": (teams, now) -> list[accounts.needs.Need].
NEEDS_YOU: list[str] = [
    "scheduling.cover.needs.urgent_cover",
    "scheduling.rotas.needs.empty_seats",
    "scheduling.requirements.needs.approvals_waiting",
    "scheduling.availability.needs.not_confirmed",
    "calendars.needs.without_channel",
]
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)

# Email.
globals().update(email_from_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rota <rota@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# Celery: without REDIS_URL tasks run eagerly in the web process.
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Cover requests: ranked timeouts, reminders and escalation (idempotent).
    "cover-sweep": {"task": "cover.tasks.sweep", "schedule": timedelta(minutes=5)},
    "worker-heartbeat": {"task": "rota.tasks.heartbeat", "schedule": timedelta(seconds=30)},
    "requirements-warn-expiring": {
        "task": "scheduling.requirements.tasks.warn_expiring",
        "schedule": timedelta(days=1),
    },
    "availability-sync-calendars": {
        "task": "scheduling.availability.tasks.sync_all_connections",
        "schedule": timedelta(minutes=30),
    },
    "availability-deadline-reminders": {
        "task": "scheduling.availability.tasks.send_deadline_reminders",
        "schedule": timedelta(days=1),
    },
    # Calendars: apply SeatChanges no worker applied, retry deliveries whose back-off ended.
    "calendars-sweep": {"task": "calendars.tasks.sweep", "schedule": timedelta(minutes=1)},
    "calendars-refresh": {
        "task": "calendars.tasks.refresh_upcoming",
        "schedule": timedelta(hours=6),
    },
    "oncall-shift-reminders": {
        "task": "scheduling.oncall.tasks.send_shift_reminders",
        "schedule": timedelta(minutes=15),
    },
    "oncall-unfilled-warnings": {
        "task": "scheduling.oncall.tasks.send_unfilled_warnings",
        "schedule": timedelta(minutes=15),
    },
    "oncall-handover-missing": {
        "task": "scheduling.oncall.tasks.send_handover_missing",
        "schedule": timedelta(minutes=15),
    },
}
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 120, minimum=10)
# Rota engine: seconds and CP-SAT workers per recommendation run.
ROTA_SOLVE_SECONDS = env_int("ROTA_SOLVE_SECONDS", 10, minimum=1)
ROTA_SOLVE_WORKERS = env_int("ROTA_SOLVE_WORKERS", 2, minimum=1)

# The cache holds sign-in rate limits, team stamps and rendered page parts. It must be shared by
# every web and worker process (Redis): a per-process cache would miss other processes' writes.
CACHE_URL = env_url("CACHE_URL", "" if TESTING else REDIS_URL, schemes=("redis", "rediss"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Keep rendered page parts (period calendar, dashboard panels, on-call API) until their team
# changes. On by default with a shared cache, and for one process (tests, `make run`).
PAGE_CACHE = env_bool("PAGE_CACHE", bool(CACHE_URL) or TESTING or DEBUG)
# With a shared cache, sessions are read from it and written through to the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL
    else "django.contrib.sessions.backends.db"
)

# Secrets of calendar connections are encrypted with this key (Fernet, derived if unset).
ENCRYPTION_KEY = env_str("ENCRYPTION_KEY", "")
# Outgoing URL fetches refuse private addresses; these hosts/networks are allowed anyway.
URL_FETCH_ALLOW = env_list("URL_FETCH_ALLOW", ["127.0.0.1", "::1"] if TESTING else [])
URL_FETCH_TIMEOUT = env_int("URL_FETCH_TIMEOUT", 15, minimum=1)
# Largest calendar (ICS file or CalDAV answer) an import reads.
CALENDAR_IMPORT_MAX_BYTES = env_int("CALENDAR_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# Production hardening: on unless DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # In eager mode every task would log a line in the web process; a worker keeps them.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
