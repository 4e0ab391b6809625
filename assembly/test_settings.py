"""Test settings: the real settings, with fast password hashing and a local cache."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from assembly.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The throttling tests set their own low rate; the rest of the suite must not meet it.
API_PUBLIC_RATE = "100000/minute"
