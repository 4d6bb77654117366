"""The one settings module: whatever differs between machines comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from khuyencong import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A developer's checkout may keep its settings in .env (`make` writes one with DEBUG=1); the
# real environment always wins, and the Docker image never contains the file.
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET = "django-insecure-dev-only-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 32 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "khuyencong.views.csrf_failure"  # in Vietnamese: the page had expired

# Runtime files (embedded database, embedded broker, media) live under var/ unless told otherwise.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "khuyencong",
    "beneficiaries",
    "schemes",
    "reports",
    "duties",
    "sampledata",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "import_export",
    "simple_history",
    "khuyencong.axes_app.AxesConfig",  # django-axes, named in Vietnamese
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "khuyencong.security.IdleTimeoutMiddleware",
    # The portal's own 403/404 for a signed-in user, and post/redirect/get of a refused form.
    "khuyencong.guards.OwnErrorPages",
    "khuyencong.guards.RefusedPostKept",
    "khuyencong.audit.DownloadLogMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "khuyencong.views.MethodNotAllowedPage",
    # Last, as django-axes asks: it turns a lockout into our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

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
                "portal.navigation.navigation",
            ],
        },
    },
]

# PostgreSQL only: the data layer relies on it (plpgsql triggers, pg_trgm, COPY). Without
# DATABASE_URL, the checkout's own server (khuyencong/embedded.py, started by `make run` and
# `make test`) through its socket under var/pg.
DATABASES = {"default": env.db("DATABASE_URL", default=embedded.database_url(VAR_DIR / "pg"))}
_db = DATABASES["default"]
if _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "Cổng khuyến công chỉ chạy trên PostgreSQL: hãy bỏ DATABASE_URL để dùng máy chủ riêng "
        "của `make run`, hoặc đặt DATABASE_URL=postgres://người-dùng:mật-khẩu@máy:5432/tên. "
        "/ The portal runs on PostgreSQL only: unset DATABASE_URL to use the embedded server "
        "of `make run`, or set DATABASE_URL=postgres://user:password@host:5432/name."
    )
# Connections are reused but checked first, so a restarted PostgreSQL is survived.
_db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
_db["CONN_HEALTH_CHECKS"] = True
# No JIT: our queries are short, and compiling the scheme list's risk subqueries cost
# 4 s of a 4.06 s query at 10× a province (EXPLAIN ANALYZE, "JIT: Timing … Total 3923 ms").
_db.setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "khuyencong.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Vietnamese whatever the browser asks: an English browser would otherwise get Django's English
# messages and, worse, its English date formats, reading 05/11/2026 as 11 May.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No MEDIA_URL is served: reports and uploads go out only through views that check scope.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a refused form's page is kept for its redirect and reloads (khuyencong.guards).
KEPT_PAGE_SECONDS = env.int("KEPT_PAGE_SECONDS", default=15 * 60)

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, a real broker
# shared by the web process and a separate worker process through a folder under var/.
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # How long Redis keeps an unacknowledged task before giving it to another worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="khuyencong")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # outcomes live in our own rows (e.g. QuarterlyReport.status)
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# A report or an import batch queued but never sent (broker down), or sent or started longer ago
# than any run may take (its worker died), is sent again by the sweep; the task does it once
# whatever happens.
REPORT_STALE_SECONDS = env.int("REPORT_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 3 * 60)
SWEEP_SECONDS = env.float("REPORT_SWEEP_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "reports-sweep": {"task": "reports.tasks.sweep_reports", "schedule": SWEEP_SECONDS},
    "imports-sweep": {"task": "beneficiaries.tasks.sweep_imports", "schedule": SWEEP_SECONDS},
    # The province's report of the quarter just ended, early on its first morning after.
    "reports-quarter-end": {
        "task": "reports.tasks.quarter_end_report",
        "schedule": crontab(minute=15, hour=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # Reminders of what is due soon or overdue, each morning before office hours.
    "duties-reminders": {
        "task": "duties.tasks.send_reminders",
        "schedule": crontab(minute=0, hour=6),
    },
}

# E-mail (the reminders): SMTP once EMAIL_HOST is set and DEBUG is off; otherwise the console,
# so that `make run` prints the messages. EMAIL_BACKEND overrides both (the tests give a
# worker Django's file backend with EMAIL_FILE_PATH, to count what it sent).
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# An empty value (as docker-compose passes an unset one) means the default, too.
DEFAULT_FROM_EMAIL = (
    env("DEFAULT_FROM_EMAIL", default="") or "Cổng khuyến công <khuyencong@localhost>"
)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends."
    + ("console" if DEBUG or not EMAIL_HOST else "smtp")
    + ".EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# Where the portal is reached, for the links in e-mails.
SITE_URL = env("SITE_URL", default="") or "http://127.0.0.1:8000"

# HTTPS is on unless DEBUG (or HTTPS=0, for a trial on a closed network): secure cookies,
# redirect to HTTPS, HSTS. Behind our TLS proxy, trust its X-Forwarded-Proto and -For.
HTTPS = env.bool("HTTPS", default=not DEBUG)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container's own health check speaks plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True  # no script of ours reads them
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# A session ends after SESSION_IDLE_SECONDS without a page, and at the latest after
# SESSION_COOKIE_AGE; a password change ends the user's other sessions (Django's session hash).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 3600)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=45 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: our own files only, no inline script or style anywhere.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    }
}

# Sign-in lockout (django-axes), three rules over the same cool-off of AXES_COOLOFF_MINUTES
# since the last failure: AXES_FAILURE_LIMIT wrong passwords for one user name from one address
# lock that pair; AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the names, lock
# the address (password spraying); AXES_USERNAME_FAILURE_LIMIT failures of one name, whatever the
# addresses, lock the name (one account guessed from many machines). A good sign-in forgets that
# user's own failures from that address, so an office behind one NAT address that mistypes and
# then gets in never adds up to the address limit: only names that never get in do.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_USERNAME_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
SIGN_IN_FAILURE_LIMITS = [  # one for each entry of AXES_LOCKOUT_PARAMETERS
    AXES_FAILURE_LIMIT,
    AXES_ADDRESS_FAILURE_LIMIT,
    AXES_USERNAME_FAILURE_LIMIT,
]
AXES_HANDLER = "khuyencong.security.SignInThrottle"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "khuyencong.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "khuyencong.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # our own access log (khuyencong.AccessEvent) keeps sign-ins
AXES_VERBOSE = False

# Uploads above this size are refused before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Dossier documents (PDF, images, Word, Excel) and spreadsheets to import: checked by content.
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=10)
IMPORT_MAX_MB = env.int("IMPORT_MAX_MB", default=5)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20000)
# A full template of 20,000 rows unpacks to some 20 MB; the sheet is read within this time.
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=60)
IMPORT_READ_SECONDS = env.float("IMPORT_READ_SECONDS", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The province the portal serves; its code picks the root unit for province-wide screens.
PROVINCE_CODE = env("PROVINCE_CODE", default="02")

# The admin lives at a configurable path, so that it is not where scanners look first.
ADMIN_URL = env("ADMIN_URL", default="admin/")
FORMAT_MODULE_PATH = ["khuyencong.formats"]

# django-filter's own empty choice, for a filter that does not name its own (its "none"
# choice, FILTERS_NULL_CHOICE_LABEL, stays unset: set, every choice filter would offer it).
FILTERS_EMPTY_CHOICE_LABEL = "Tất cả"
