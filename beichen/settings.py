"""Settings for the Beichen indicator dashboard, read from the environment.

Every value a deployment changes comes from an environment variable; the helpers
below fail loudly on a value they cannot read instead of guessing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true or false")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# A development checkout keeps its own SECRET_KEY and DEBUG=true in .env, which `make setup`
# writes once (git-ignored). Variables already set in the environment win; a server without
# .env reads the environment only. BEICHEN_ENV_FILE names another file, or none when empty.
ENV_FILE = os.environ.get("BEICHEN_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)

DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # There is no built-in key: a published one would let anyone forge sessions.
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set SECRET_KEY, or run `make setup` to write a development .env."
    )
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Published pages are open by default: the action plan is a publicly disclosed
# document (主动公开). BEICHEN_PUBLIC=false makes every page require a login.
BEICHEN_PUBLIC = envbool("BEICHEN_PUBLIC", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "indicators.apps.LoginProtectionConfig",  # django-axes
    "indicators",
    "chains",
    "parks",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # Published pages from the cache before anything else runs (indicators/web/page_cache.py).
    "indicators.web.page_cache.PublishedPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "indicators.web.middleware.ChosenLanguageMiddleware",
    "indicators.web.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "indicators.web.middleware.LoginUnlessPublicMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beichen.urls"
WSGI_APPLICATION = "beichen.wsgi.application"

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
                "indicators.web.context.source_documents",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=envint("DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock (up to 20 s) instead of failing with "database is locked",
    # and a transaction takes the write lock when it starts, not halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    # The whole-year index's printed columns (INCLUDE) are PostgreSQL's; SQLite keeps the
    # index on its key columns alone, which is all it needs (models.W040 says so).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation of queries (PostgreSQL's `jit`, on by default): the dashboard's
    # queries take milliseconds to half a second, and compiling one that passes the planner's
    # cost threshold took longer than it saved (about 130 ms each; at factor 100 the report
    # workbook's queries took 3.0 s with it, 1.7 s without). DB_JIT=true turns it back on.
    jit = "on" if envbool("DB_JIT", False) else "off"
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c jit={jit}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis (shared by every worker) when REDIS_URL is set, e.g. redis://127.0.0.1:6379/0;
# otherwise each process keeps its own in memory (the data version then comes from the
# database, so no worker ever serves a stale page).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "beichen")
if REDIS_URL:
    CACHES = {
        "default": {
            # django.core.cache.backends.redis.RedisCache, reusing its Redis client
            "BACKEND": "beichen.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": CACHE_KEY_PREFIX,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 2000)},
        }
    }
# Published pages cached per language, path and query under the data version
# (indicators/web/page_cache.py). The suite turns it off (tests/settings.py) unless a test
# turns it on.
BEICHEN_PAGE_CACHE = envbool("BEICHEN_PAGE_CACHE", True)
BEICHEN_PAGE_CACHE_SECONDS = envint("BEICHEN_PAGE_CACHE_SECONDS", 7 * 24 * 3600)
# Values derived from every figure (the overview's status counts, the years with data) kept
# per data version (indicators/domain/data_version.py, `cached`), so a page that counts every
# figure does not re-assess all of them on each request.
BEICHEN_DERIVED_CACHE = envbool("BEICHEN_DERIVED_CACHE", True)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Lock the account that is guessed (whatever the address), and record account + address too;
# never the address alone: behind the intranet's proxy a whole office shares one address.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default):
# the header is ignored and the connecting address is the client's, so nobody can forge it.
BEICHEN_TRUSTED_PROXY_COUNT = envint("BEICHEN_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "indicators.web.client_address.client_ip"

# A year-on-year change beyond ± this percentage needs a note before it is submitted.
BEICHEN_YOY_THRESHOLD = envint("BEICHEN_YOY_THRESHOLD", 50)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django's zh-hans formats print 1389.9 without a thousands separator; ours add it.
FORMAT_MODULE_PATH = ["beichen.formats"]
# Grouping is applied by our number filters, not globally, so years stay 2024, not 2,024.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # The hashed manifest only exists after collectstatic, which development skips.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# The read-only API (/api/): JSON only, public figures for everyone, staff preview by session.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handle",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "北辰区制造业倍增指标看板 开放数据接口",
    "DESCRIPTION": (
        "只读 JSON 接口：规划、指标、对象（全区、产业链、属地、园区）、基数与目标、实际值及进度评估。"
        "公众只能看到已审核公布的数据；出错时返回 JSON，detail 为中文说明。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc come from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SubjectKindEnum": "indicators.models.Subject.Kind",
        "MetricKindEnum": "indicators.models.Metric.Kind",
        "ActualStateEnum": "indicators.models.Actual.State",
    },
}

# django-tables2's bootstrap5.html, its body written in one pass (templates/includes/).
DJANGO_TABLES2_TEMPLATE = "includes/table_bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Spreadsheet import refuses files larger than this (bytes).
BEICHEN_IMPORT_MAX_BYTES = envint("BEICHEN_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = BEICHEN_IMPORT_MAX_BYTES + 1024 * 1024
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # HTTPS only unless a variable says otherwise.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
