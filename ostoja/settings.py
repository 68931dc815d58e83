"""Django settings, from the environment (12-factor).

Production is the default: DEBUG is off, cookies are secure and a SECRET_KEY must be given.
The demo and the tests switch on what they need explicitly (``OSTOJA_DEV=1``, settings_test).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
DEV = env.bool("OSTOJA_DEV", default=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "dev-only-insecure-key-never-used-in-production" if DEV else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (or OSTOJA_DEV=1 for a local demo)."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEV else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "csp",
    "ostoja.core",
    "ostoja.audit",
    "ostoja.org",
    "ostoja.registry",
    "ostoja.cases",
    "ostoja.decisions",
    "ostoja.payments",
    "ostoja.socialwork",
    "ostoja.facilities",
    "ostoja.care",
    "ostoja.partners",
    "ostoja.analysis",
    "ostoja.api",
    "ostoja.web",
    "django_tasks",
    "django_tasks_db",
    "ostoja.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ostoja.core.nocache.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ostoja.core.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "ostoja.core.access.AccessPolicyMiddleware",
    "ostoja.org.middleware.RequireAdminMfaMiddleware",
    "axes.middleware.AxesMiddleware",
    "ostoja.api.parser.ApiInputGuardMiddleware",
    "ostoja.ops.middleware.DatabaseUnavailableMiddleware",
    "ostoja.ops.middleware.ProcessingRestrictionBannerMiddleware",
]

ROOT_URLCONF = "ostoja.urls"
WSGI_APPLICATION = "ostoja.wsgi.application"
FORM_RENDERER = "ostoja.web.forms_rendering.Renderer"  # accessible field attributes (issue 17)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ostoja" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ostoja.web.context.navigation",
            ],
            "builtins": ["django.templatetags.static"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ostoja.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout: the demo server and a management command may write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation for the application's queries (issue 19). They are short and
    # index-driven, but when the planner's estimate is high — a three-letter search matching
    # tens of thousands of persons, the reports' aggregates — PostgreSQL compiles the query
    # first: at ten times Kielce a search for „ska” took 760 ms, of which ~650 ms compiling,
    # and 112 ms without. A DATABASE_URL that sets ``jit`` itself (``?options=-c jit=on``)
    # keeps its value.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit=" not in str(_pg_options.get("options", "")):
        _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # logs in, grants no permission: roles grant them, through the rules above (issue 19)
    "ostoja.org.backends.StaffLoginBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski")]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEV
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEV

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

# Sessions end after 30 minutes of inactivity: ``ostoja.core.middleware.IdleSessionMiddleware``
# renews a logged-in session at most once a minute (issue 19: not a write on every request).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the meta tag, not the cookie

SECURE = env.bool("SECURE_COOKIES", default=not DEV)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The HSTS preload list is a public, hard-to-undo submission: the centre's choice, not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content Security Policy: everything is served from here (vendored assets), no inline script.
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
    }
}

# django-allauth: staff accounts only; no sign-up, login by username.
ACCOUNT_ADAPTER = "ostoja.org.adapters.StaffAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_FORMS = {"change_password": "ostoja.web.account_forms.StaffChangePasswordForm"}  # issue 17
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ostoja"
OSTOJA_REQUIRE_ADMIN_MFA = env.bool("OSTOJA_REQUIRE_ADMIN_MFA", default=True)

# django-axes: a persistent record of failed logins; lock the username+IP after 5 failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# django-auditlog: who changed what, and who read whose data.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

# No query string reaches a log (it may hold a PESEL or a surname): ostoja.core.logfilters.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query": {"()": "ostoja.core.logfilters.StripQueryStrings"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_query"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # The development server's request log: the same handler, filtered.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Background jobs (django-tasks): the database as the queue by default (``ostoja worker``);
# Redis as an option (OSTOJA_TASKS_BACKEND=redis, REDIS_URL, package django-tasks-rq);
# "immediate" runs a job inside the request (tests, demo).
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASKS_BACKEND = env.str("OSTOJA_TASKS_BACKEND", default="immediate" if DEV else "database")
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[_TASKS_BACKEND]}}
if _TASKS_BACKEND == "redis":
    # django-tasks-rq runs on django-rq: its app, and the queue's Redis address; the worker is
    # ``ostoja rqworker default`` (docs/operations.md).
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    RQ_QUEUES = {"default": {"URL": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")}}
# Structured logs (issue 21): one JSON object a line, personal data masked (ostoja.ops.logs).
if env.str("LOG_FORMAT", default="text" if DEV else "json") == "json":
    LOGGING["filters"]["personal_data"] = {"()": "ostoja.ops.logs.PersonalDataFilter"}
    LOGGING["formatters"] = {"json": {"()": "ostoja.ops.logs.JsonFormatter"}}
    LOGGING["handlers"]["console"]["filters"] = ["no_query", "personal_data"]
    LOGGING["handlers"]["console"]["formatter"] = "json"

NINJA_PAGINATION_PER_PAGE = 50
# A plausibility bound on one amount typed into a decision (a typing error such as 1e9 zł is
# refused). Not a legal amount — those live in ostoja/law/parameters — but a guard on input.
OSTOJA_MAX_DECISION_AMOUNT = Decimal(env.str("OSTOJA_MAX_DECISION_AMOUNT", default="100000.00"))
# Uploaded files (bank statements, person and street imports) may not be larger than this.
OSTOJA_MAX_UPLOAD_BYTES = env.int("OSTOJA_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# API tokens expire: a token created without its own end date lives this many days.
OSTOJA_API_TOKEN_DAYS = env.int("OSTOJA_API_TOKEN_DAYS", default=90)

# Case reference (znak sprawy): unit symbol, JRWA class, number, year.
OSTOJA_CASE_REFERENCE_PATTERN = env.str(
    "OSTOJA_CASE_REFERENCE_PATTERN", default="{unit}.{jrwa}.{number}.{year}"
)
# Bank file profile for Elixir-O exports (code page and field count differ between banks):
# pko_bp, iso8859_2, ing, e25, ascii — see ostoja/payments/formats.
OSTOJA_BANK_PROFILE = env.str("OSTOJA_BANK_PROFILE", default="pko_bp")
# Electronic signature of decisions (PAdES, ostoja.decisions.signing): the centre's qualified
# certificate or seal as PKCS#12, its passphrase, and the CA certificates a signature must
# chain to. Empty: decisions are signed by hand on paper only.
OSTOJA_PADES_PKCS12 = env.str("OSTOJA_PADES_PKCS12", default="")
OSTOJA_PADES_PASSPHRASE = env.str("OSTOJA_PADES_PASSPHRASE", default="")
OSTOJA_PADES_TRUST_ROOTS = env.list("OSTOJA_PADES_TRUST_ROOTS", default=[])
