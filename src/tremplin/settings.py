"""Tremplin settings: one file, driven by environment variables.

SQLite under ``var/`` unless ``DATABASE_URL`` is set (PostgreSQL in production).
Secure (HTTPS) defaults unless ``TREMPLIN_HTTPS=0`` (the demo on loopback, the tests).
"""

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(os.environ.get("TREMPLIN_VAR_DIR", PROJECT_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_from_file(name: str, factory) -> str:
    """A secret generated once into var/ and reused (demo and development)."""
    path = VAR_DIR / name
    if not path.exists():
        # Written aside then linked into place: two processes starting at once (gunicorn
        # workers, parallel test workers) never read a half-written file, and the first wins.
        fd, temporary = tempfile.mkstemp(dir=VAR_DIR, prefix=f".{name}.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(factory())
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_from_file(
    "secret_key", lambda: secrets.token_urlsafe(64)
)
DEBUG = env_bool("DEBUG", False)

# Keys that encrypt case notes at rest (tremplin.core.crypto): the first encrypts, all decrypt.
TREMPLIN_FIELD_KEYS = [
    key.strip()
    for key in (
        os.environ.get("TREMPLIN_FIELD_KEY")
        or _secret_from_file("field_key", lambda: Fernet.generate_key().decode())
    ).split(",")
    if key.strip()
]
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
HTTPS = env_bool("TREMPLIN_HTTPS", True)
# Demo mode: a banner says that buildings, people and notes are fictitious.
TREMPLIN_DEMO = env_bool("TREMPLIN_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tremplin.core",
    "tremplin.accounts",
    "tremplin.audit",
    "tremplin.operations",
    "tremplin.territories",
    "tremplin.housing",
    "tremplin.partners",
    "tremplin.projects",
    "tremplin.casework",
    "tremplin.concertation",
    "tremplin.events",
    "tremplin.newsletter",
    "tremplin.surveys",
    "tremplin.evaluation",
    "tremplin.search",
    "tremplin.api",
    "ninja",  # its bundled Swagger UI files, served from our static files (no CDN)
    "tremplin.demo",
    "tremplin.imports",
    "tremplin.bench",
]

MIDDLEWARE = [
    # One JSON line per request (route, status, duration, queries, user id): outermost.
    "tremplin.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tremplin.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tremplin.accounts.middleware.UserSessionMiddleware",
    "tremplin.accounts.middleware.PrivateCacheMiddleware",
    "tremplin.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tremplin.urls"
WSGI_APPLICATION = "tremplin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tremplin.context_processors.tremplin",
            ],
            "builtins": ["tremplin.core.templatetags.tremplin"],
        },
    }
]

DATABASES = {
    # An empty DATABASE_URL means "not set": the embedded SQLite database.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tremplin.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes): 5 failures per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("TREMPLIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"  # Québec's time zone (Eastern)
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names for long caching in production; plain files for DEBUG and the tests.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("TREMPLIN_STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not env_bool("TREMPLIN_STATIC_MANIFEST", not DEBUG)
# Uploaded files live outside the static root and are served by permission-checking views.
MEDIA_ROOT = VAR_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# EMAIL_URL (smtp://user:password@host:587, smtp+tls://…, smtps://…) sets all of the above.
if os.environ.get("EMAIL_URL"):
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_PORT = _email.port or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
# The public address of the site, for links in e-mails (confirmation, unsubscribe, events).
TREMPLIN_SITE_URL = os.environ.get("TREMPLIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tremplin@localhost")

# Background jobs (sending the newsletter): Django's tasks framework through the django-tasks
# backport, queued in the database; `tremplin db_worker` runs them.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# E-mails are jobs retried with backoff (tremplin.operations.mail), on this backend: the
# database queue; the tests run them at once ("immediate") unless a test asks for the queue.
TREMPLIN_MAIL_TASK_BACKEND = os.environ.get("TREMPLIN_MAIL_TASK_BACKEND", "default")


# The store shared by every server process (rate limits of the public forms and the API,
# rendered charts): CACHE_URL = redis://127.0.0.1:6379/0 (Redis), db://tremplin_cache (the
# database: `tremplin createcachetable` once), or empty / locmem:// (per process: one server
# process only, the demo and the tests). Sessions, login lockouts (django-axes) and the
# case-file hourly limit (the audit journal) are in the database, shared already.
def _cache_from_url(url: str) -> dict:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not url or parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme in ("redis", "rediss"):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "tremplin",
        }
    if parts.scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": (parts.netloc or parts.path.strip("/")) or "tremplin_cache",
        }
    raise ValueError(f"CACHE_URL: unsupported scheme {parts.scheme!r} (redis, db, locmem)")


CACHES = {"default": _cache_from_url(os.environ.get("CACHE_URL", ""))}

# Sessions: 30 minutes idle, renewed on each request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Case files: more distinct files opened or exported by one user in an hour is blocked and
# flagged to the privacy officer; closed follow-ups are destroyed this many years after closing.
TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = int(
    os.environ.get("TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT", "60")
)
TREMPLIN_RETENTION_YEARS = int(os.environ.get("TREMPLIN_RETENTION_YEARS", "5"))
# Two-factor authentication (TOTP, django-otp): the name authenticator apps show for the account.
TREMPLIN_OTP_ISSUER = os.environ.get("TREMPLIN_OTP_ISSUER", "Tremplin")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("TREMPLIN_SSL_REDIRECT", True)
# The health check answers the load balancer over plain HTTP too (tremplin.operations).
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    # Behind a reverse proxy that terminates TLS (nginx), trust its scheme header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tremplin.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # One JSON line per request and per job, without personal data (tremplin.operations.logs).
    "loggers": {
        "tremplin.requests": {
            "handlers": ["json"],
            "level": "INFO" if env_bool("TREMPLIN_REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
        "tremplin.jobs": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# Import limits (tremplin.core.tabular): 50,000 rows of the directory are about 7 MB in CSV.
TREMPLIN_IMPORT_MAX_BYTES = 20 * 1024 * 1024
TREMPLIN_IMPORT_MAX_ROWS = 50_000
