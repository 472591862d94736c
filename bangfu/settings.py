"""Settings: typed environment variables with embedded defaults (SQLite in a data folder)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def owner_only(folder: Path) -> Path:
    """Make `folder` (if missing) and make it readable by this process's user alone (0700).

    Everything in the data folder holds personal data or keys. The umask set below makes each file
    and folder bangfu creates owner-only (0600, 0700: the SQLite database and its -wal and -shm,
    huey's queue, the keys, every job file); this closes a folder made before it, by an older version
    or by hand, so that nothing already inside stays readable by others."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        try:
            folder.chmod(0o700)
        except PermissionError:  # a folder owned by another user (the operator's choice): files are still 0600
            pass
    return folder


# Set once, here, since every process (the web server, the task consumer, every command) loads the
# settings before it writes anything: files 0600, folders 0700.
os.umask(0o077)

DATA_DIR = owner_only(Path(env_str("BANGFU_DATA_DIR", str(Path.cwd() / "data"))).resolve())


def _secret_from_data_dir(file_name: str, make) -> str:
    """A secret kept in the data folder, generated on first use (0600)."""
    path = DATA_DIR / file_name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(make())
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY") or _secret_from_data_dir(
    "secret_key", lambda: secrets.token_urlsafe(50)
)

# Keys for personal data at rest. BANGFU_FIELD_KEYS: comma-separated keys in Fernet's key format,
# newest first (older ones still decrypt, so keys can be rotated); core.crypto derives an AES-256-GCM
# key from each. BANGFU_HASH_KEY: the HMAC key for exact lookup; it cannot be rotated without
# re-hashing, so it is kept apart from the field keys.
FIELD_KEYS = env_list("BANGFU_FIELD_KEYS", []) or [
    _secret_from_data_dir("field_key", lambda: Fernet.generate_key().decode())
]
HASH_KEY = env_str("BANGFU_HASH_KEY") or _secret_from_data_dir(
    "hash_key", lambda: secrets.token_hex(32)
)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    # For its bundled Swagger UI (template and static files): without it, ninja's docs page loads from a CDN.
    "ninja",
    "huey.contrib.djhuey",
    "bangfu.core",
    "bangfu.regions",
    "bangfu.accounts",
    "bangfu.history",
    "bangfu.households",
    "bangfu.imports",
    "bangfu.casework",
    "bangfu.supplies",
    "bangfu.deliveries",
    "bangfu.emergency",
    "bangfu.fund",
    "bangfu.projects",
    "bangfu.policies",
    "bangfu.notify",
    "bangfu.needs",
    "bangfu.work",
    "bangfu.monitoring",
    "bangfu.briefings",
    "bangfu.sales",
    "bangfu.assets",
    "bangfu.ops",
    "bangfu.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bangfu.core.middleware.StaticFilesMiddleware",
    # Pages and API answers (text, not .xlsx) gzipped for a client that accepts it (static files
    # come precompressed from the middleware above, which answers before this one). BREACH needs a
    # secret in the body and many requests an attacker makes the victim's browser send; here the
    # CSRF token is masked anew in every response, the session cookie is SameSite=Lax (no
    # cross-site fetch in the background carries it), every write needs the CSRF token, and Django
    # pads each gzipped body with random bytes (Heal the Breach). So every text response is
    # compressed; see the README's "Light pages on a weak signal".
    "bangfu.core.middleware.CompressMiddleware",
    "bangfu.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bangfu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "bangfu.core.outbox.OutboxMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
WSGI_APPLICATION = "bangfu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["bangfu.core.templatetags.bangfu"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'bangfu.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
    # Connections are kept between requests (CONN_MAX_AGE, as on PostgreSQL): the last connection
    # to a WAL database to close checkpoints it and syncs the file to disk, which made a write
    # request that closed its connection wait for the disk (about 17 ms each on a quiet machine).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "households:list"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: this many failures for one username from one address within the window refuse
# that pair until the window has passed; four times as many from one address, whatever the usernames,
# refuse that address. Other addresses are never refused for them.
LOGIN_MAX_FAILURES = env_int("BANGFU_LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("BANGFU_LOGIN_FAILURE_WINDOW", 15 * 60)
# How many reverse proxies (nginx) stand in front of the server, each appending the address it saw to
# X-Forwarded-For: the client's address is that many entries from the right. 0: the header is ignored.
TRUSTED_PROXIES = env_int("BANGFU_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ValueError(f"BANGFU_TRUSTED_PROXIES must be 0 or more, got {TRUSTED_PROXIES}")

# Whether a caseworker also sees every household of their own village (not only those assigned).
CASEWORKER_SEES_VILLAGE = env_bool("BANGFU_CASEWORKER_SEES_VILLAGE", False)

# Routes only the benchmarks use (`POST /api/bench/trivial`, bench/submissions.py); off in production.
BENCH_ROUTES = env_bool("BANGFU_BENCH_ROUTES", False)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Whatever is ever saved through Django's file storage is owner-only too (its default is 0644).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and gzip copies, collected into STATIC_ROOT by `bangfu serve` and `bangfu demo`
    # whenever the sources changed (core.staticstorage); each hashed file is cached for a year.
    "staticfiles": {"BACKEND": "bangfu.core.staticstorage.ManifestStorage"},
}
# Until they are collected (a script before any `bangfu serve`), files are served from the apps'
# static folders under their plain names, cached for a minute.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# Django's default, stated because compressing pages relies on it (BREACH, see MIDDLEWARE).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("BANGFU_SESSION_AGE", 12 * 3600)
SESSION_COOKIE_SECURE = env_bool("BANGFU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only: browsers told to use HTTPS for this many seconds (0: not told), and plain HTTP
# redirected to HTTPS. Behind nginx, which speaks HTTP to bangfu, the redirect needs nginx to send
# `X-Forwarded-Proto` and BANGFU_TRUST_FORWARDED_PROTO to believe it (or it redirects forever).
SECURE_HSTS_SECONDS = env_int("BANGFU_HSTS_SECONDS", 0)
SECURE_SSL_REDIRECT = env_bool("BANGFU_SSL_REDIRECT", False)
if env_bool("BANGFU_TRUST_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict CSP: no inline script or style anywhere, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "bangfu.core.logfilters.RefusalFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # A refused request (401, 403, 404) as one line; a server error keeps its traceback.
    "loggers": {"django.request": {"filters": ["refusals"]}},
}

# Lists show this many rows a page, and count exactly only up to COUNT_LIMIT ("1000+" beyond).
PAGE_SIZE = env_int("BANGFU_PAGE_SIZE", 50)
COUNT_LIMIT = env_int("BANGFU_COUNT_LIMIT", 1000)

NINJA_PAGINATION_PER_PAGE = PAGE_SIZE

# Rendered pages kept until history records a change in their area (bangfu.history.pagecache), in
# each process's memory: the key is checked against the database on every request, so processes
# need not share them. "default" is Django's own (locmem).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("BANGFU_PAGE_CACHE_ENTRIES", 500)},
    },
}

# Background jobs (imports, big exports): huey, stored in a SQLite file in the data folder, or in
# Redis when REDIS_URL is set (several app servers share one queue). `bangfu serve` and `bangfu
# demo` run a consumer beside the web server; elsewhere run `bangfu run_huey`.
REDIS_URL = env_str("REDIS_URL")
HUEY = {
    "name": "bangfu",
    "immediate": env_bool("BANGFU_TASKS_IMMEDIATE", False),  # run tasks in the request (debugging only)
    "results": True,
    "utc": True,
    "consumer": {"workers": env_int("BANGFU_TASK_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    try:
        import redis  # noqa: F401
    except ImportError:
        raise ImportError("REDIS_URL is set, but the redis package is not installed: pip install 'bangfu[redis]'") from None
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Files of import and export jobs (uploads, error reports, exports): personal data, so kept in the
# data folder, served only to the job's owner, and deleted after this many days.
JOB_FILES_DIR = owner_only(Path(env_str("BANGFU_JOB_FILES_DIR", str(DATA_DIR / "jobs"))).resolve())
JOB_FILES_DAYS = env_int("BANGFU_JOB_FILES_DAYS", 7)
# A job still running this long after it started is taken as stopped (its worker was killed or
# restarted) and marked failed when a page or the next job looks at it. A 1,000,000-row import
# takes well under an hour.
JOB_STALE_SECONDS = env_int("BANGFU_JOB_STALE_SECONDS", 6 * 3600)
# An upload up to this size is checked in the request; a bigger one in the background.
IMPORT_CHECK_INLINE_BYTES = env_int("BANGFU_IMPORT_CHECK_INLINE_BYTES", 512 * 1024)
# The largest upload accepted.
IMPORT_MAX_BYTES = env_int("BANGFU_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# An .xlsx is a zip: one that would unpack to more than this in all, or with a part (over 1 MB)
# unpacking to more than this many times its packed size, is refused before it is read. Ordinary
# sheets pack 5 to 20 times; a zip bomb of whitespace 1,000 times. The 1,000,000-row national
# sheet unpacks to about 1.5 GB (streamed: memory holds one row and the shared strings).
IMPORT_MAX_UNPACKED_BYTES = env_int("BANGFU_IMPORT_MAX_UNPACKED_BYTES", 3 * 1024 * 1024 * 1024)
IMPORT_MAX_PACK_RATIO = env_int("BANGFU_IMPORT_MAX_PACK_RATIO", 100)
# The shared strings of an .xlsx are held in memory while it is read (the 1,000,000-row sheet's
# are about 100 MB unpacked): a file whose shared strings unpack to more is refused.
IMPORT_MAX_STRINGS_BYTES = env_int("BANGFU_IMPORT_MAX_STRINGS_BYTES", 512 * 1024 * 1024)
# An export of up to this many households downloads at once; a bigger one is a background job.
EXPORT_INLINE_HOUSEHOLDS = env_int("BANGFU_EXPORT_INLINE_HOUSEHOLDS", 2000)

# Work (bangfu.work): the working age (劳动年龄) of the labour force, and the yearly employment
# subsidy in fen for work 省外 / 省内市外 / 市内县外 where a county has set no amounts of its own.
WORK_AGE_MIN = env_int("BANGFU_WORK_AGE_MIN", 16)
WORK_AGE_MAX = env_int("BANGFU_WORK_AGE_MAX", 60)
WORK_SUBSIDY_DEFAULT_FEN = {
    "outside_province": env_int("BANGFU_WORK_SUBSIDY_OUTSIDE_PROVINCE_FEN", 50000),
    "outside_city": env_int("BANGFU_WORK_SUBSIDY_OUTSIDE_CITY_FEN", 40000),
    "outside_county": env_int("BANGFU_WORK_SUBSIDY_OUTSIDE_COUNTY_FEN", 30000),
}
# The CJK font (.ttf/.ttc) of job postings' posters; empty: the first of work.publishing's
# FONT_CANDIDATES found (Debian: fonts-wqy-zenhei).
POSTER_FONT = os.environ.get("BANGFU_POSTER_FONT", "")
# The CJK fonts of the A4 prints and the briefing (.ttf/.otf/.ttc); empty: the first of
# briefings.fonts' candidates found (Debian: fonts-noto-cjk, else fonts-wqy-zenhei).
PRINT_FONT = os.environ.get("BANGFU_PRINT_FONT", "")
PRINT_SERIF_FONT = os.environ.get("BANGFU_PRINT_SERIF_FONT", "")
