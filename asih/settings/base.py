"""Settings shared by every environment; configuration comes from the environment only."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "asih"
VAR_DIR = Path(os.environ.get("ASIH_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "asih.core",
    "asih.guides",
    "asih.seo",
    "asih.sharing",
    "asih.leads",
    "asih.guidebook",
    "asih.pagecache",
    "asih.comments",
    "asih.search",
    "asih.staff",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Before anything reads a body: bodies over their endpoint's cap get a 413 page.
    "asih.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "asih.pagecache.middleware.PublicCacheHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "asih.core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Every admin request needs a session verified with a two-step code (asih/core/staff_auth.py).
    "asih.core.staff_auth.AdminTwoStepMiddleware",
    # At most a few admin password-reset emails per address and per mailbox.
    "asih.core.staff_auth.PasswordResetLimitMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "asih.urls"
WSGI_APPLICATION = "asih.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'asih.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded mode serves real readers from several app-server processes at once:
    # - WAL lets pages be read while a comment is written (readers never wait for the writer).
    # - synchronous=FULL: in WAL mode NORMAL already survives a killed app server, but may
    #   lose the last commits on a power cut or kernel crash; FULL syncs the log at every
    #   commit, so a comment or sign-up that got its "thank you" is on disk. Writes here are
    #   a handful a minute, so the extra fsync costs nothing a reader would notice.
    # - BEGIN IMMEDIATE takes the write lock when a transaction starts, so concurrent writers
    #   queue on the busy timeout instead of failing with "database is locked" (a deferred
    #   transaction that reads first cannot wait for the lock when it later writes).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,  # seconds a writer waits for the lock (PRAGMA busy_timeout)
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first: the default language and the first in every list.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
SERVE_MEDIA = os.environ.get("SERVE_MEDIA", "true").lower() == "true"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Asih"
# --- Clinic readiness (issue 13): public address, review, staff -------------------------------
# The one public address (scheme://host[:port]) every absolute URL starts with: pages, share
# links, sitemap, feeds, JSON-LD, calendar files, the PDF, every email and the admin's links.
# The Wagtail Site record follows it (asih/core/public_address.py). `make run` sets
# http://127.0.0.1:$PORT; a clinic sets its own domain, e.g. https://klinik.example.id.
ASIH_PUBLIC_URL = os.environ.get("ASIH_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = ASIH_PUBLIC_URL
# How long a clinician's approval counts as the guide's medical review, in months.
ASIH_REVIEW_INTERVAL_MONTHS = int(os.environ.get("ASIH_REVIEW_INTERVAL_MONTHS", "12"))
# A guide whose next review is this close (days) is listed as "review soon".
ASIH_REVIEW_SOON_DAYS = int(os.environ.get("ASIH_REVIEW_SOON_DAYS", "30"))
# --- end clinic readiness ------------------------------------------------------------------
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif", "svg"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt"]
# Documents only through Wagtail's view, which checks their collection's privacy on each
# download; /media/ never serves them by name (asih/core/media.py, the nginx recipe).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploaded SVGs are checked for active content before they are stored (asih/core/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "asih.core.images.SafeImageForm"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True

# Public pages must set no cookie: the CSRF token lives in the session only for logged-in forms.
CSRF_USE_SESSIONS = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_NAME = "asih_language"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

ASIH_CONTENT_DIR = Path(os.environ.get("ASIH_CONTENT_DIR", BASE_DIR / "content"))

# Tasks (email delivery, Wagtail's own indexing): in-process by default; with
# ASIH_TASKS=database they queue in the database for `manage.py db_worker`.
ASIH_TASKS = os.environ.get("ASIH_TASKS", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if ASIH_TASKS == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Email: SMTP settings from the environment; every outbound connection has a timeout.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Asih <no-reply@localhost>")
# Staff who receive moderation and consultation notices (comma-separated addresses).
ASIH_STAFF_EMAILS = [
    a.strip() for a in os.environ.get("ASIH_STAFF_EMAILS", "").split(",") if a.strip()
]
# Behind nginx or another proxy: how many proxies append to X-Forwarded-For.
ASIH_TRUSTED_PROXY_COUNT = int(os.environ.get("ASIH_TRUSTED_PROXY_COUNT", "0"))
# The fastest a person fills a public form, in seconds (bot trap).
ASIH_FORM_MIN_SECONDS = 3
# How long a complete-guide download link stays valid, in days.
ASIH_GUIDEBOOK_LINK_DAYS = int(os.environ.get("ASIH_GUIDEBOOK_LINK_DAYS", "7"))

# Whole-page cache in front of Django (asih/pagecache): files under var/ by default, Redis when
# REDIS_URL is set (then Django's cache — rate limits included — lives in Redis too).
REDIS_URL = os.environ.get("REDIS_URL", "")
ASIH_PAGE_CACHE = os.environ.get("ASIH_PAGE_CACHE", "on").lower() == "on"
ASIH_PAGE_CACHE_DIR = Path(os.environ.get("ASIH_PAGE_CACHE_DIR", VAR_DIR / "pagecache"))
ASIH_PAGE_CACHE_TTL = int(os.environ.get("ASIH_PAGE_CACHE_TTL", "86400"))
# The most the stored pages may take together (files or Redis); the oldest go first.
ASIH_PAGE_CACHE_MAX_BYTES = int(os.environ.get("ASIH_PAGE_CACHE_MAX_BYTES", str(128 * 1024**2)))
# X-Page-Cache: HIT/MISS on answers, for benchmarks and checks only (and with DEBUG): it would
# tell anyone which pages (searches included) others had asked for.
ASIH_PAGE_CACHE_STATE_HEADER = os.environ.get("ASIH_PAGE_CACHE_STATE_HEADER", "").lower() == "on"
# How long nginx or a CDN may keep a public page between purges.
ASIH_SHARED_CACHE_SECONDS = int(os.environ.get("ASIH_SHARED_CACHE_SECONDS", "300"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "asih",
            # A Redis that stops answering costs a request two seconds, never a hung worker.
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
    ASIH_RATE_LIMIT_STORE = "cache"
else:
    # One process's memory: the rendered page parts
    # (asih/pagecache/fragments.py) of a few hundred guides fit (Django's default holds 300).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    # Rate limits must hold across the app server's processes: counted in the database.
    ASIH_RATE_LIMIT_STORE = "database"
# The same for PostgreSQL: a server that cannot be reached fails the request after 5 seconds.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# Content-Security-Policy (django-csp) on every response, the admin included: scripts and styles
# only from this site, never inline (templates carry no <script> code or style="" attributes;
# JSON data blocks and JSON-LD are not executed and need no exception).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features a page may use: the guided session keeps the screen on; nothing else is needed.
ASIH_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), screen-wake-lock=(self), fullscreen=(self)"
)
# No third-party requests, also in the admin: no Gravatar (it would send staff emails' hashes).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# nginx in front: Wagtail's frontend cache asks it to refetch each changed page (see
# asih/pagecache/frontend.py and deploy/nginx/). Set to nginx's address, e.g. http://127.0.0.1:80
# (docs/operations.md).
ASIH_FRONTEND_CACHE_URL = os.environ.get("ASIH_FRONTEND_CACHE_URL", "")
if ASIH_FRONTEND_CACHE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "asih.pagecache.frontend.NginxRefreshBackend",
            "LOCATION": ASIH_FRONTEND_CACHE_URL,
        }
    }
    # The URLs given are already each page's own-language URL: no /en/ twin of an /id/ page.
    WAGTAILFRONTENDCACHE_LANGUAGES = []

# Staff sign-in: django-axes locks a username at one address out after repeated failures (its
# counts live in the database, shared by every app server); TOTP two-step verification
# (django-otp), asked by the sign-in form and held on every admin request by
# AdminTwoStepMiddleware (not django-otp's own middleware: its second lazy wrapper around
# request.user hides the user's type from Wagtail's audit log). Superusers and accounts with any
# permission on readers' records must set it up (ASIH_TWO_STEP_REQUIRED; only tests turn it off).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out sign-in may try again after 15 minutes
# Three limits (asih.core.staff_auth.StaffSignInHandler): one account at one address (5), one
# account from any address (10: a spread-out guess at one password), one address trying any
# account (20: one password against many names; a clinic's staff may share an address).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
ASIH_SIGNIN_FAILURE_LIMITS = [AXES_FAILURE_LIMIT, 2 * AXES_FAILURE_LIMIT, 4 * AXES_FAILURE_LIMIT]
AXES_HANDLER = "asih.core.staff_auth.StaffSignInHandler"
# The same address as the rate limits: X-Forwarded-For only from ASIH_TRUSTED_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "asih.core.protection.axes_client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/admin/locked_out.html"
AXES_VERBOSE = False
WAGTAILADMIN_USER_LOGIN_FORM = "asih.core.staff_auth.StaffLoginForm"
OTP_TOTP_ISSUER = "Asih"
ASIH_TWO_STEP_REQUIRED = True

# Request limits: form bodies (not file uploads) up to 1 MB; the admin's page editor posts many
# fields for a long guide. nginx caps whole requests (client_max_body_size, deploy/nginx/).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
# Whole request bodies, files included (asih.core.middleware.RequestBodyLimitMiddleware): public
# forms are text, so 2 MB (form fields over 1 MB still get the 400 page above); the admin
# uploads images and documents (Wagtail's own image cap is 10 MB).
ASIH_ADMIN_URL_PREFIX = "/admin/"
ASIH_MAX_PUBLIC_BODY = 2 * 1024 * 1024
ASIH_MAX_ADMIN_BODY = 20 * 1024 * 1024
