"""Test settings: the real settings, with fast password hashing and a local cache."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from assembly.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # In memory, not the shared file: parallel test runs must not invalidate each other's pages.
    "data_version": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "data-version"},
}
# The public pages are drawn anew on every request (the query-count tests count their queries);
# tests/caching turns the cache on.
PUBLIC_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
OPEN_DATA_ROOT = BASE_DIR / ".test-open-data"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The throttling tests set their own low rate; the rest of the suite must not meet it.
API_PUBLIC_RATE = "100000/minute"
# The test client and the live server speak plain HTTP (tests/ops/test_deploy.py checks the
# production values).
SECURE_SSL_REDIRECT = False
# Static files straight from the source folders, under their plain names: no `collectstatic`.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The admin signs in with a password alone; the two-factor tests turn the code on themselves.
OTP_REQUIRED_FOR_ADMIN = False
