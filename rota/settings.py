"""Django settings for Rota, read from environment variables (see README: Configuration)."""

from __future__ import annotations

import sys
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
from rota.periodic import beat_schedule

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
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rota",
    "accounts",
    "scheduling.requirements",
    "scheduling.availability",
    "scheduling.rotas",
    "scheduling.cover",
    "scheduling.oncall",
    "scheduling.pay",
    "calendars",
    "integrations.webhooks",
    "integrations.paging",
    "integrations.slack",
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
    "rota.middleware.FriendlyMethodNotAllowedMiddleware",
    "accounts.middleware.TeamSsoMiddleware",
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
# Failed sign-ins are limited by accounts/signin_limits.py (per account and per client address,
# in memory while the cache is down), not by allauth's cache-only "login" and "login_failed".
ACCOUNT_RATE_LIMITS = {"login": "", "login_failed": ""}
SIGN_IN_FAILURES_PER_ACCOUNT = env_int("SIGN_IN_FAILURES_PER_ACCOUNT", 5, minimum=1)
SIGN_IN_FAILURES_PER_ADDRESS = env_int("SIGN_IN_FAILURES_PER_ADDRESS", 30, minimum=1)
SIGN_IN_LOCK_SECONDS = env_int("SIGN_IN_LOCK_SECONDS", 300, minimum=1)
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
ROTA_OPEN_SIGNUP = env_bool("ROTA_OPEN_SIGNUP", False)
# Single sign-on: OpenID Connect through allauth, configured only when OIDC_ISSUER is set.
OIDC_ISSUER = env_url("OIDC_ISSUER", "")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_BUTTON_LABEL = env_str("OIDC_BUTTON_LABEL", "single sign-on")
SSO_ENABLED = bool(OIDC_ISSUER and OIDC_CLIENT_ID)
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = (
    {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": OIDC_BUTTON_LABEL,
                    "client_id": OIDC_CLIENT_ID,
                    "secret": OIDC_CLIENT_SECRET,
                    "settings": {"server_url": OIDC_ISSUER},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    }
    if SSO_ENABLED
    else {}
)
# The provider vouches for the address (email_verified): no second confirmation email, and a
# person invited by password before signs in to the same account.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Rota"
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)

# Email.
# `make run` keeps every email in the development mailbox (/dev/mail/), which needs DEBUG.
_email = email_from_url("EMAIL_URL", "devmail://" if DEBUG and not TESTING else "console://")
globals().update(_email)  # EMAIL_HOST, EMAIL_PORT, … for smtp:// and smtps://
DEV_MAIL_DIR = VAR_DIR / "mail"
# Every message passes through SafeHeadersBackend, which puts header values on one line and
# hands it to the backend EMAIL_URL names.
ROTA_EMAIL_BACKEND = str(_email["EMAIL_BACKEND"])
if ROTA_EMAIL_BACKEND == "rota.devmail.backend.EmailBackend" and not (DEBUG or TESTING):
    raise ImproperlyConfigured("EMAIL_URL=devmail:// is for development: it needs DEBUG=1.")
EMAIL_BACKEND = "rota.mail.SafeHeadersBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rota <rota@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

# Celery: without REDIS_URL tasks run eagerly in the web process.
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# `make run`: the development server runs eager tasks in one background thread after the
# response (rota/background.py), so Recommend and Publish return at once and show progress.
# Tests and management commands keep them inline.
ROTA_TASKS_IN_THREAD = env_bool(
    "ROTA_TASKS_IN_THREAD",
    CELERY_TASK_ALWAYS_EAGER and DEBUG and not TESTING and "runserver" in sys.argv,
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died is given back to the queue instead of being acknowledged.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Outbound I/O (CalDAV, ICS, SMTP, integrations) runs on its own queue and worker, so a slow
# server holds only that worker's slots; everything else (rota changes, the engine) keeps moving.
CELERY_IO_QUEUE = env_str("CELERY_IO_QUEUE", "io")
CELERY_TASK_ROUTES = {
    "calendars.tasks.push_user": {"queue": CELERY_IO_QUEUE},
    "calendars.tasks.send_invitations": {"queue": CELERY_IO_QUEUE},
    "scheduling.availability.tasks.sync_*": {"queue": CELERY_IO_QUEUE},
    "rota.tasks.send_email": {"queue": CELERY_IO_QUEUE},
    "integrations.*": {"queue": CELERY_IO_QUEUE},
}
# The longest task is a rota recommendation (ROTA_SOLVE_SECONDS of CP-SAT plus loading and
# saving); an outbound call is bounded by URL_FETCH_TIMEOUT / EMAIL_TIMEOUT. The hard limit kills a
# task that outlives that, and a message unacknowledged for longer than the visibility timeout
# (its worker was killed) is given to another worker: limit + a margin, not Celery's one hour.
CELERY_TASK_TIME_LIMIT = env_int(
    "CELERY_TASK_TIME_LIMIT", max(300, 3 * env_int("ROTA_SOLVE_SECONDS", 10)), minimum=10
)
CELERY_VISIBILITY_TIMEOUT = env_int(
    "CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60, minimum=1
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for messages of dead workers every few seconds (kombu's default is every 100 s).
    "unacked_restore_interval": min(10, CELERY_VISIBILITY_TIMEOUT),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# An enqueue during a broker outage fails fast (the outbox sweep sends it later) instead of
# holding the request for Celery's default retries.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = beat_schedule(io_queue=CELERY_IO_QUEUE)  # rota/periodic.py
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 120, minimum=10)
# A worker's claim on an email or a CalDAV push expires after this long (a killed worker or a
# dropped database connection holds it no longer).
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 120, minimum=1)
PUSH_CLAIM_SECONDS = env_int("PUSH_CLAIM_SECONDS", 120, minimum=1)
# Rota engine: seconds and CP-SAT workers per recommendation run.
ROTA_SOLVE_SECONDS = env_int("ROTA_SOLVE_SECONDS", 10, minimum=1)
ROTA_SOLVE_WORKERS = env_int("ROTA_SOLVE_WORKERS", 2, minimum=1)

# The cache holds sign-in rate limits, team stamps and rendered page parts. It must be shared by
# every web and worker process (Redis): a per-process cache would miss other processes' writes.
CACHE_URL = env_url("CACHE_URL", "" if TESTING else REDIS_URL, schemes=("redis", "rediss"))
# A cache that is down or slow answers as a miss (rota.cache.FailSafeRedisCache), so pages are
# built without it.
CACHES = {
    "default": (
        {
            "BACKEND": "rota.cache.FailSafeRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Keep rendered page parts (period calendar, dashboard panels, on-call API) until their team
# changes. On by default with a shared cache, and for one process (tests, `make run`).
PAGE_CACHE = env_bool("PAGE_CACHE", bool(CACHE_URL) or TESTING or DEBUG)
# Sessions live in the database only: signed-in pages keep working while the cache is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Secrets of calendar connections are encrypted with this key (Fernet, derived if unset).
ENCRYPTION_KEY = env_str("ENCRYPTION_KEY", "")
# Outgoing URL fetches refuse private addresses; these hosts/networks are allowed anyway.
URL_FETCH_ALLOW = env_list("URL_FETCH_ALLOW", ["127.0.0.1", "::1"] if TESTING else [])
URL_FETCH_TIMEOUT = env_int("URL_FETCH_TIMEOUT", 15, minimum=1)
# Outbound webhooks: seconds to wait for a receiver; failed attempts in a row before turning off.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10, minimum=1)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 15, minimum=1)
# Paging tools' API base URLs (Opsgenie EU accounts: https://api.eu.opsgenie.com).
PAGERDUTY_API_URL = env_url("PAGERDUTY_API_URL", "https://api.pagerduty.com")
OPSGENIE_API_URL = env_url("OPSGENIE_API_URL", "https://api.opsgenie.com")
# A CA bundle for the paging tools' TLS (e.g. behind an inspecting proxy); blank: the system's.
PAGING_CA_BUNDLE = env_str("PAGING_CA_BUNDLE", "")
# Largest calendar (ICS file or CalDAV answer) an import reads.
CALENDAR_IMPORT_MAX_BYTES = env_int("CALENDAR_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)

# Slack app (docs/integrations/slack.md): OAuth client, request signing, Web API base URL.
SLACK_CLIENT_ID = env_str("SLACK_CLIENT_ID", "")
SLACK_CLIENT_SECRET = env_str("SLACK_CLIENT_SECRET", "")
SLACK_SIGNING_SECRET = env_str("SLACK_SIGNING_SECRET", "")
SLACK_API_URL = env_url("SLACK_API_URL", "https://slack.com/api") + "/"
# Slack's response_url values must start with one of these; not an env var on purpose: only tests
# add their loopback contract server (which the URL guard also lets through only in tests).
SLACK_RESPONSE_URL_PREFIXES = ["https://hooks.slack.com/"]
if TESTING:  # a test worker process is told its contract server's hooks this way
    SLACK_RESPONSE_URL_PREFIXES += env_list("SLACK_TEST_RESPONSE_URL_PREFIXES", [])

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
        # `make run` prints the address, the logins and one line per email, not every request
        # (errors and refusals still show).
        "django.server": {"level": "WARNING" if DEBUG and not TESTING else "INFO"},
    },
}
