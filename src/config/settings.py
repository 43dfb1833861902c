"""Revive settings: every knob comes from an environment variable, read by a typed helper."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.email_url import email_from_url
from config.env import ConfigError, database_from_url, env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent
# The project folder: where var/ (the SQLite file) and node_modules/ (front-end packages) live.
PROJECT_DIR = Path(env_str("REVIVE_HOME", str(SRC_DIR.parent)))  # type: ignore[arg-type]
VAR_DIR = PROJECT_DIR / "var"
# The SQLite file and collected static files live here; create it so a fresh clone just works.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("REVIVE_DEBUG", False)
SECRET_KEY = env_str("REVIVE_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError("REVIVE_SECRET_KEY is required unless REVIVE_DEBUG=1")
    SECRET_KEY = "insecure-debug-only-key-never-used-in-production"
ALLOWED_HOSTS = env_list("REVIVE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
PORT = env_int("REVIVE_PORT", 8000, minimum=1, maximum=65535)
DEMO_PASSWORD = env_str("REVIVE_DEMO_PASSWORD")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs page from its own static files, not a CDN
    "revive.core",
    "revive.accounts",
    "revive.registry",
    "revive.filings",
    "revive.cases",
    "revive.finance",
    "revive.indicators",
    "revive.imports",
    "revive.planning",
    "revive.insight",
    "revive.documents",
    "django_tasks",
    "django_tasks_db",
    "revive.jobs",
    "revive.notices",
    "revive.demo",  # the demo data set and its commands; no app imports it
    "revive.web",
    "revive.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "revive.web.middleware_db.DatabaseUnavailableMiddleware",  # 503, not 500, while the database is away
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "revive.web.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "revive.web.middleware_rules.RequestRulesMiddleware",  # DomainError -> 400 page; no-store when signed in
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "revive.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "revive.web.context.revive",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("REVIVE_DATABASE_URL", "sqlite:///var/revive.sqlite3"),  # type: ignore[arg-type]
        base_dir=PROJECT_DIR,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# "figures": costly figures keyed on the data version (revive/core/cache.py), kept in Revive's own database so
# every process (web workers, the worker, `revive report`) shares them and they go with the data they describe.
# The table is made by core's migration 0002 and emptied after every migrate (new code may compute differently).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "revive_figure_cache",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # our own words for the length rule (Django's Persian catalogue lacks them): revive/accounts/passwords.py
    {"NAME": "revive.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"  # every role lands on its own work (web/home/views.py)
LOGOUT_REDIRECT_URL = "web:public"
SESSION_COOKIE_AGE = env_int("REVIVE_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "revive" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Tehran"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
WHITENOISE_USE_FINDERS = True
# Only the files pages use, under hashed names that whitenoise caches for a year (revive/web/staticfiles.py).
STATICFILES_FINDERS = [
    "revive.web.staticfiles.UsedFilesFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "revive.web.staticfiles.HashedStaticStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
# Behind a proxy that terminates TLS (nginx on this machine or another), trust its X-Forwarded-Proto:
# requests are then https to Django (HSTS is sent, the CSRF origin check expects https), whatever the WSGI
# server trusts. The proxy must set the header itself (proxy_set_header), never pass the client's on.
# The Host header is the proxy's to pass too (proxy_set_header Host $http_host), so X-Forwarded-Host is
# not read.
BEHIND_PROXY = env_bool("REVIVE_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("REVIVE_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("REVIVE_HSTS_SECONDS", 31536000, minimum=0)

NINJA_PAGINATION_PER_PAGE = 50
API_DOCS_PREFIX = "/api/v1/docs"  # the interactive docs page needs its own scripts

# Background jobs: the queue is a table in this database; `revive worker` runs it (tests run jobs inline).
TASKS = {
    "default": {
        "BACKEND": env_str("REVIVE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Notices: e-mail through Django's framework, SMS through an adapter (revive.notices.sms).
globals().update(email_from_url(env_str("REVIVE_EMAIL_URL", "console://")))  # type: ignore[arg-type]
DEFAULT_FROM_EMAIL = env_str("REVIVE_EMAIL_FROM", "Revive <revive@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_URL = env_str("REVIVE_SMS_URL", "log://")
BASE_URL = (env_str("REVIVE_BASE_URL", f"http://127.0.0.1:{PORT}") or "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("REVIVE_LOG_LEVEL", "WARNING")},
}
