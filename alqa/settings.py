"""Alqa settings: one module, every value from the environment, bad values stop start-up."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from alqa.env import env_audit_key, env_audit_old_keys, env_bool, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY", debug=DEBUG)  # a blank or weak key stops start-up
# The audit chain's HMAC key (docs/operations.md, "The audit chain"): outside the database; former
# keys stay listed so that the rows they sealed still verify.
ALQA_AUDIT_KEY = env_audit_key("ALQA_AUDIT_KEY", debug=DEBUG, secret_key=SECRET_KEY)
ALQA_AUDIT_OLD_KEYS = env_audit_old_keys("ALQA_AUDIT_OLD_KEYS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("ALQA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The demo may waive the second factor for its printed logins; never in production.
DEMO_WAIVE_MFA = env_bool("ALQA_DEMO_WAIVE_MFA", False)
if DEMO_WAIVE_MFA and not DEBUG:
    raise ImproperlyConfigured("ALQA_DEMO_WAIVE_MFA may only be set together with DJANGO_DEBUG=true.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "alqa",  # first, so that its templates override allauth's
    "django_htmx",
    "ninja",  # its bundled swagger-ui templates and static files: /api/v1/docs without a CDN
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "alqa.request_memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "alqa.middleware.SecurityHeadersMiddleware",  # Content Security Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alqa.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alqa.fragments.AuditHeadMiddleware",  # the audit head first, before any page data (alqa/fragments.py)
    "alqa.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "alqa.middleware.ErrorPageMiddleware",  # 405 in the look of the other error pages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "alqa.middleware.RequireSecondFactorMiddleware",
]

ROOT_URLCONF = "alqa.urls"
CSRF_FAILURE_VIEW = "alqa.views.errors.csrf_failure"  # the 403 page in the reader's language
WSGI_APPLICATION = "alqa.wsgi.application"

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
                "alqa.context_processors.alqa",
            ],
        },
    }
]

# Database: SQLite (WAL) by default, anything dj-database-url understands through DATABASE_URL.
_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'alqa.sqlite3'}"
_database_url = env_str("DATABASE_URL", _default_sqlite)
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
except Exception as exc:  # dj-database-url raises several kinds for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One connection per worker, kept open: opening one per request (PRAGMAs, WAL files) costs
    # more than the request itself on the working-day API.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "alqa.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail is the login; second factor by TOTP with recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "alqa.auth_adapter.AccountAdapter"
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS: dict[str, str | bool] = {
    "login_failed": env_str("ALQA_LOGIN_RATE_LIMIT", "5/5m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alqa"
MFA_RECOVERY_CODE_COUNT = 10
# Addresses are entered by the secretary and proven by the invitation link (a password set through
# a link mailed to that address), so allauth's own verification step is not asked for again.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# Sessions are stored in the database and read through the "sessions" cache (Django's cached_db):
# a signed-in request reads its session from the cache, and signing out deletes both copies.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_AGE = env_int("ALQA_SESSION_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = False  # alqa.middleware.IdleSessionMiddleware extends idle sessions
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("ALQA_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("ALQA_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Behind one proxy (nginx) the client's address is the last one the proxy appends to
# X-Forwarded-For: allauth's per-address sign-in limits count it, not 127.0.0.1.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0

# Languages: Russian first, Kazakh, English for observers.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "alqa" / "locale", BASE_DIR / "alqa" / "locale_extra"]
FORMAT_MODULE_PATH = ["alqa.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
LANGUAGE_COOKIE_NAME = "alqa_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_ROOT = Path(env_str("ALQA_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: written to the outbox, sent by the worker through SMTP.
_email_backends = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
_email_choice = env_str("ALQA_EMAIL", "smtp")
if _email_choice not in _email_backends:
    raise ImproperlyConfigured(f"ALQA_EMAIL={_email_choice!r} is not one of: {', '.join(_email_backends)}.")
EMAIL_BACKEND = _email_backends[_email_choice]
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alqa <noreply@alqa.local>")

# Background work: huey on SQLite by default, Redis when REDIS_URL is set.
_redis_url = env_str("REDIS_URL", "")
HUEY = {
    "name": "alqa",
    "immediate": env_bool("ALQA_HUEY_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "consumer": {"workers": env_int("ALQA_HUEY_WORKERS", 2, minimum=1, maximum=64), "worker_type": "thread"},
}
if _redis_url:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": _redis_url}
else:
    _huey_file = Path(env_str("ALQA_HUEY_FILE", str(BASE_DIR / "var" / "huey.sqlite3")))
    _huey_file.parent.mkdir(parents=True, exist_ok=True)
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(_huey_file)}

# What the running code is, in every cache key (alqa.fragments.release): empty = a digest of the
# code, which changes with every upgrade by itself.
ALQA_RELEASE = env_str("ALQA_RELEASE", "")

# Cache: rendered page parts (alqa/fragments.py) and allauth's sign-in limits. Each worker
# process keeps its own by default; with several workers in production set ALQA_CACHE_URL
# (redis://host:6379/1) so that they share one and the sign-in limits hold across workers.
_cache_url = env_str("ALQA_CACHE_URL", "")
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("ALQA_CACHE_URL must be a redis://, rediss:// or unix:// address.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "alqa",
            "TIMEOUT": 3600,
        }
    }
    # The sessions' copies (SESSION_CACHE_ALIAS) in the same Redis, under a prefix of their own.
    CACHES["sessions"] = CACHES["default"] | {"KEY_PREFIX": "alqa-session"}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
        # Sessions' copies must be shared by every worker: a session signed out (or rotated at
        # sign-in) in one worker would live on in another's memory. Without Redis, they are files
        # that all the workers of this machine read; a missing file is read from the database.
        "sessions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("ALQA_SESSION_CACHE_DIR", str(BASE_DIR / "var" / "sessions")),
            "TIMEOUT": None,  # cached_db gives each copy the session's own expiry
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }

API_TOKEN_PREFIX = "alqa_"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ALQA_LOG_LEVEL", "WARNING")},
}

BODY_SESSION_KEY = "alqa_body_id"
