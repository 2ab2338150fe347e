"""The data version: a token that changes whenever anything a page shows changes.

Published pages are cached under it (indicators/web/page_cache.py), so a cached page is never
stale: every approval, change or deletion of a figure, target, subject, plan or measure (any
model of the indicators, chains and parks apps, through Django's post_save/post_delete
signals), every spreadsheet import and every reload of the documents bumps it.

Where it is kept:
- a shared cache (Redis) holds the current token, so every worker reads it in one round trip;
- with a per-process cache (local memory) each worker reads it from the database row
  `DataVersion`, which commits together with the change itself.
Either way the row is updated inside the changing transaction, and the cached token is set
again once that transaction commits, so a page rendered from data that was not yet committed
is stored under a token nobody asks for any more.

With Redis, every new token is also announced on a channel (`announce`), and a worker that
serves pages from its own memory learns the token from the announcements (`watched`) instead
of asking Redis on every request: it asks again only when something was announced, when its
subscription was (re)made, and at least once a second whatever happens.
"""

import contextlib
import functools
import os
import threading
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from indicators.models import DataVersion, PendingImport

CACHE_KEY = "data-version"
TRACKED_APPS = {"indicators", "chains", "parks"}
PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)

_batch = threading.local()


def shared_cache() -> bool:
    """Whether every worker sees the same cache (Redis), rather than one of its own."""
    return settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_BACKENDS


def _token(number, changed_at) -> str:
    return f"{number}.{changed_at.timestamp():.6f}"


def _from_database() -> str:
    row = DataVersion.objects.filter(pk=1).values_list("number", "changed_at").first()
    return _token(*row) if row else _token(0, datetime(2020, 1, 1, tzinfo=UTC))


_pinned = threading.local()


def current() -> str:
    """The token pages are cached under now (the page's own reading inside `pinned`)."""
    token = getattr(_pinned, "token", None)
    if token is not None:
        return token
    return _read()


@contextlib.contextmanager
def pinned():
    """One reading of the version for everything a page derives from the data (a read-only
    page: a change made inside drops the reading)."""
    outer = getattr(_pinned, "token", None)
    _pinned.token = outer or watched()
    try:
        yield
    finally:
        _pinned.token = outer


def _read() -> str:
    if shared_cache():
        token = cache.get(CACHE_KEY)
        if token is None:
            if cache.add(CACHE_KEY, _from_database(), None):
                announce()
            token = cache.get(CACHE_KEY)
        return token
    return _from_database()


def _set_token(token):
    cache.set(CACHE_KEY, token, None)
    announce()


# --- watching the token (Redis) -----------------------------------------------------------------

# However announcements fare (a connection lost without a word), a worker asks Redis again
# after this long.
RECHECK_SECONDS = 1.0
# How long a new subscription waits for Redis's confirmation before going on without it.
SUBSCRIBE_SECONDS = 1.0


def _channel():
    """The announcements' channel: the token's own key, with the Redis database in front
    (channels are shared by every database of a server; keys are not)."""
    client = cache._cache.get_client(write=True)
    return f"{client.connection_pool.connection_kwargs.get('db', 0)}:{cache.make_key(CACHE_KEY)}"


def announce():
    """Tell every worker the token has moved (and this process at once, whatever the channel
    does)."""
    if not shared_cache():
        return
    client = cache._cache.get_client(write=True)
    client.publish(_channel(), "changed")
    watch = _watches.get((os.getpid(), _channel()))
    if watch is not None:
        watch.forget()


class _Watch:
    """One process's subscription to the announcements, shared by its threads."""

    def __init__(self, channel):
        self.lock = threading.Lock()
        self.pubsub = cache._cache.get_client(write=False).pubsub()
        self.pubsub.subscribe(channel)
        self.token, self.read_at = None, 0.0
        # The confirmation is a message too: it is read here, before the first token, so no
        # announcement can fall between the two and the confirmation is not later taken for
        # one (a needless second reading).
        self.pubsub.get_message(timeout=SUBSCRIBE_SECONDS)

    def forget(self):
        self.token = None

    def current(self):
        with self.lock:
            announced = False
            while self.pubsub.get_message(timeout=0) is not None:
                # an announcement, or a (re)subscription after a reconnection
                announced = True
            now = time.monotonic()
            if announced or self.token is None or now - self.read_at > RECHECK_SECONDS:
                self.token, self.read_at = _read(), now  # Redis's, never a page's pinned one
            return self.token

    def close(self):
        with contextlib.suppress(Exception):
            self.pubsub.close()


_watches = {}
_watches_lock = threading.Lock()


def watched() -> str:
    """The current token as this process knows it from the announcements: the same as
    `current()`, without a round trip to Redis on most calls. Any trouble with the
    subscription and it asks Redis directly (and subscribes again on a later call)."""
    if not shared_cache():
        return _read()
    key = (os.getpid(), _channel())
    watch = _watches.get(key)
    try:
        if watch is None:
            with _watches_lock:
                watch = _watches.get(key) or _watches.setdefault(key, _Watch(key[1]))
        return watch.current()
    except Exception:  # a broken subscription: never a stale token, ask Redis instead
        if watch is not None:
            _watches.pop(key, None)
            watch.close()
        return _read()


_MISSING = object()


def cached(name, compute, *parts):
    """A value derived from the data (counts over every figure, the years with data), computed
    once per data version and then read from the cache: `compute()` runs again only after a
    change. `parts` (plan, year, published or not …) tell the variants apart.

    Off where settings.BEICHEN_DERIVED_CACHE is false (the suite computes afresh unless a test
    turns it on)."""
    if not settings.BEICHEN_DERIVED_CACHE:
        return compute()
    key = ":".join(["derived", name, current(), *(str(p) for p in parts)])
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        with one_at_a_time(key):
            value = cache.get(key, _MISSING)  # made meanwhile by another thread
            if value is _MISSING:
                value = compute()
                cache.set(key, value, settings.BEICHEN_PAGE_CACHE_SECONDS)
    return value


_computing = {}  # key → the lock of the thread computing its value
_computing_lock = threading.Lock()
# A thread waits this long at most for another's value, then computes it itself (so two
# values that need each other can never hold each other up).
COMPUTING_WAIT_SECONDS = 60


@contextlib.contextmanager
def one_at_a_time(key):
    """The block runs for `key` in one thread of the process at a time: threads that need a
    value another is computing wait for it and then find it made, instead of computing it
    alongside. After a change, every request a busy worker is answering needs the same
    counts at once; computed side by side they took that much more time and memory each
    (two threads deriving every figure's summary at 100× data held 190 MB)."""
    with _computing_lock:
        lock = _computing.setdefault(key, threading.Lock())
    acquired = lock.acquire(timeout=COMPUTING_WAIT_SECONDS)
    try:
        yield
    finally:
        if acquired:
            with _computing_lock:
                if _computing.get(key) is lock:
                    del _computing[key]  # a thread arriving now finds the value made
            lock.release()


_kept = {"token": None, "values": {}}
_kept_lock = threading.Lock()
KEPT_VARIANTS = 64  # values (names × plan, year, audience, language …) held at once, per process


def kept(name, compute, *parts):
    """Like `cached`, for values made of model instances and other objects not worth
    pickling (an overview's tracked figures and cards): each process keeps them in memory
    under the current data version and drops them all as soon as the version moves on; past
    KEPT_VARIANTS values, the one used least recently goes. The caller must not change what
    it is given (it is shared between requests)."""
    if not settings.BEICHEN_DERIVED_CACHE:
        return compute()
    token = getattr(_pinned, "token", None) or watched()
    key = (name, *parts)
    with _kept_lock:
        if _kept["token"] != token:
            _kept["token"], _kept["values"] = token, {}
        value = _kept["values"].pop(key, _MISSING)
        if value is not _MISSING:
            _kept["values"][key] = value  # now the most recently used
    if value is _MISSING:
        with one_at_a_time(("kept", token, key)):
            with _kept_lock:  # made meanwhile by another thread?
                if _kept["token"] == token:
                    value = _kept["values"].get(key, _MISSING)
            if value is _MISSING:
                value = compute()
                with _kept_lock:
                    if _kept["token"] == token:
                        values = _kept["values"]
                        values[key] = value
                        while len(values) > KEPT_VARIANTS:
                            del values[next(iter(values))]  # the least recently used
    return value


def forget_kept():
    """Drop every kept value of this process (the next request computes afresh)."""
    with _kept_lock:
        _kept["token"], _kept["values"] = None, {}


def changed_at(token) -> datetime:
    """When the data last changed, read from a token (for Last-Modified)."""
    try:
        return datetime.fromtimestamp(float(token.split(".", 1)[1]), tz=UTC)
    except (AttributeError, IndexError, ValueError):
        return timezone.now()


def bump():
    """Record a change: a new token now, and again when the changing transaction commits."""
    _pinned.token = None
    if getattr(_batch, "depth", 0):
        _batch.changed = True
        return
    now = timezone.now()
    updated = DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})
    if shared_cache():
        # A fresh token at once (seen inside this transaction), the committed one afterwards.
        _set_token(_token(uuid.uuid4().int % 10**12, now))
        transaction.on_commit(lambda: _set_token(_from_database()))


@contextlib.contextmanager
def batch():
    """Many changes, one bump at the end (loading the documents, importing a spreadsheet)."""
    _batch.depth = getattr(_batch, "depth", 0) + 1
    try:
        yield
    finally:
        _batch.depth -= 1
        changed = getattr(_batch, "changed", False)
        if not _batch.depth:
            _batch.changed = False
    if not _batch.depth and changed:
        bump()


def changes_data(func):
    """Decorator form of batch(): the function's changes bump the version once, at the end."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with batch():
            result = func(*args, **kwargs)
        bump()
        return result

    return wrapper


def _model_changed(sender, **kwargs):
    meta = sender._meta
    # An upload waiting for its confirmation (PendingImport) changes no page.
    if meta.app_label in TRACKED_APPS and sender not in (DataVersion, PendingImport):
        if not meta.object_name.startswith("Historical"):
            bump()


def connect():
    """Called once from IndicatorsConfig.ready()."""
    post_save.connect(_model_changed, dispatch_uid="beichen-data-version-save")
    post_delete.connect(_model_changed, dispatch_uid="beichen-data-version-delete")
