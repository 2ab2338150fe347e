"""The suite's settings: the dashboard's own settings, with what tests change written here.

`beichen/settings.py` does not know it is under test. The suite reads no developer's .env (so
a checkout after `make run` tests the same as a fresh clone), signs with a key of its own,
and speaks plain HTTP to the test client.
"""

import os
from pathlib import Path

os.environ["BEICHEN_ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "test-suite-only-key-" + "x" * 40)

from beichen.settings import *  # noqa: E402, F403

# Fast hashing: the suite creates many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The hashed static manifest only exists after collectstatic, which the suite skips.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Pages are rendered afresh: tests of the page cache turn it on themselves.
BEICHEN_PAGE_CACHE = False
# Counts over every figure are computed afresh too, unless a test turns the cache on.
BEICHEN_DERIVED_CACHE = False
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file (in memory-backed /dev/shm when there is one) rather than SQLite's shared
    # in-memory database, whose table locks fail at once instead of waiting: the
    # concurrency tests see the locking production sees.
    _shm = Path("/dev/shm")
    _folder = _shm if _shm.is_dir() else Path(os.environ.get("TMPDIR", "/tmp"))
    DATABASES["default"]["TEST"] = {"NAME": str(_folder / f"beichen-test-{os.getpid()}.sqlite3")}  # noqa: F405
