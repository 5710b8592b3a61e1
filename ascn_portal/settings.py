"""Settings for the ASCN portal: one module; anything that changes per deploy comes
from the environment through the strict helpers below."""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ascn_portal import static_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}"
        ) from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# PRODUCTION=true switches on everything a public deploy needs (see README, Deploy).
PRODUCTION = env_bool("PRODUCTION", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when PRODUCTION is true.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION is true.")
    # Local fallback; `check --deploy` flags any key starting with django-insecure-.
    SECRET_KEY = "django-insecure-local-development-key-not-for-production-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Old addresses of renamed records answer 301 (framework/redirects.py).
    "django.contrib.sites",
    "django.contrib.redirects",
    "django_filters",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "framework",
    "cities",
    "learn",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML, JSON and CSV compressed for clients that accept gzip (static files are
    # served precompressed by WhiteNoise). BREACH: see README, "Compression".
    "django.middleware.gzip.GZipMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before any view or middleware reads the query (framework/params.py).
    "framework.params.DropTrackingParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "framework.redirects.RedirectKeepingQueryMiddleware",
    # Last, so that it is the first to see a view's exception: a database that
    # does not answer is a 503 (framework/outage.py).
    "framework.outage.DatabaseUnavailableMiddleware",
]
SITE_ID = 1
# The host name of the public site: the admin's "View on site" links go there. Set
# on the Site record by every `migrate` (framework/apps.py).
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "") or next(
    (host for host in ALLOWED_HOSTS if host not in ("*", "") and "*" not in host),
    "localhost",
).lstrip(".")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ascn_portal.urls"

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
                "framework.context_processors.canonical_url",
                "ascn_portal.context_processors.site_urls",
            ],
        },
    },
]

WSGI_APPLICATION = "ascn_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# PostgreSQL time limits (README, Deploy): a database that stops answering must
# not hold every worker. DB_CONNECT_TIMEOUT bounds opening a connection (libpq
# waits at least 2 s); DB_STATEMENT_TIMEOUT (milliseconds, 0 for none) ends any one
# query of a request that runs longer. Long maintenance jobs can raise it.
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 3)
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 10_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DB_CONNECT_TIMEOUT,
            # PostgreSQL's JIT compiler added about 8 ms to a similar-cities query
            # at 10,000 cities (its cost passes the JIT threshold) and saved
            # nothing: off.
            "options": f"-c jit=off -c statement_timeout={DB_STATEMENT_TIMEOUT}",
        }
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# The portal is in English only and translates nothing. Without the translation
# machinery Django reads the active language from settings instead of a
# per-request context variable, which it did some 60 times a page (every number
# formatted, every {% url %}). Numbers and dates keep English formats (the
# "en" format module still applies).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WHITENOISE_USE_FINDERS=true serves the files straight from static/, without
# collectstatic, under their own names (plain storage: the hashed names come from
# collectstatic's manifest). `make run` sets it, with DEBUG off, so a newcomer sees
# the portal's own error pages. Otherwise (production): collected, hashed and
# compressed.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# HTTPS: on in production (behind a proxy that sets X-Forwarded-Proto), each
# switch overridable from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
# Both reach beyond this site (every subdomain; browsers' built-in preload lists,
# slow to leave): only when the operator opts in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# `check --deploy` asks for both: left off, they are a choice, not an oversight.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers poll over plain HTTP

# Security headers on every response.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # No inline styles or scripts. The admin and the API docs set style
        # attributes: their views add 'unsafe-inline' for themselves (CSP_RELAXED).
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# What the admin's and the API docs' views add to the policy above (ascn_portal/
# urls.py, api_urls.py): their pages set style attributes.
CSP_RELAXED = {"style-src": ["'unsafe-inline'"]}
# Static files: nosniff and a policy of their own (an SVG opened directly runs
# nothing), added by WhiteNoise, which answers before any middleware.
WHITENOISE_ADD_HEADERS_FUNCTION = static_headers.add_headers

PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Admin login throttling (django-axes): lock a username+address pair after
# repeated failures, for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "ascn_portal.throttling.attempted_username"
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Cache: Redis shared by every app server when CACHE_URL is set; else files in
# CACHE_DIR, shared by the worker processes of this one server (gunicorn runs
# several: a per-process memory cache would let one worker serve pages and counts
# from before an edit that another worker saved). `locmem://` is for one process.
CACHE_URL = os.environ.get("CACHE_URL", "")
# Cached pages and counts belong to one database: two setups sharing a cache (one
# Redis, one checkout's CACHE_DIR) must not read each other's entries.
CACHE_KEY_PREFIX = (
    "ascn-"
    + hashlib.sha256(
        "|".join(
            str(DATABASES["default"].get(part, ""))
            for part in ("ENGINE", "HOST", "PORT", "NAME")
        ).encode()
    ).hexdigest()[:12]
)
# The content version (framework/cache.py) sits in a `versions` cache of its own,
# so that culling or evicting pages never removes it. With Redis, run it with a
# maxmemory-policy of noeviction or volatile-*: the version has no expiry.
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        alias: {
            # framework/cache_backends.py: a cache that fails is a miss, not a 500.
            "BACKEND": "framework.cache_backends.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX + suffix,
            # Seconds: an unreachable server stalls a request this long at most
            # (then the process leaves the cache alone for a few seconds).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        for alias, suffix in (("default", ""), ("versions", "-versions"))
    }
elif CACHE_URL == "locmem://":
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": alias,
        }
        for alias in ("default", "versions")
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        "CACHE_URL must be a redis:// address, locmem:// or unset."
    )
else:
    CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / ".cache"))
    CACHES = {
        "default": {
            "BACKEND": "framework.cache_backends.FileBasedCache",
            "LOCATION": str(CACHE_DIR),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
        # A directory of its own: the default cache culls only its own files.
        "versions": {
            "BACKEND": "framework.cache_backends.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "versions"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
    }
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "ascn_portal.schema.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # A public, read-only API: no sign-in, so no session or CSRF involved.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ASCN Portal API",
    "DESCRIPTION": "Read-only data of the ASEAN Smart Cities Network portal.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ascn_portal.schema.year_enums",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
