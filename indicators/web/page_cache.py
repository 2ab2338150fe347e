"""Published pages served from the cache, never stale.

A published page (and a table's export, the printable report and the report workbook) is the
same for every visitor who is not logged in, for a given language, path and query (year, plan,
filters, export format) and day. It is cached under the data version (indicators/domain/data_version.py)
so the first request after any change renders afresh and every later one is a cache read.

Who never gets a cached page: anyone with a session (staff and editors, who may be previewing
drafts), anyone with pending messages, any request other than GET, the admin, the login pages,
the language switch and the API. Every cached response carries an ETag and a Last-Modified
(the time of the last change), so browsers revalidate with a conditional GET and get a 304.

A text page (HTML, CSV, JSON, plain text) of 1 KB or more is stored compressed too, with gzip
and brotli, each copy made by the first request that accepts its encoding and stored with the
page: a browser that accepts either gets the compressed copy (brotli first) with
`Content-Encoding` and `Vary: Accept-Encoding`, and a page is compressed at most once per
encoding, never per request. Each encoding has its own ETag (the plain page's with `-gzip` or `-br` added), so a
conditional GET is answered for the copy the browser holds. Workbooks, Word documents and
archives are compressed already and are stored as they are. The settings have no
GZipMiddleware: this middleware runs first, and a response that comes to it compressed already
is passed on, not stored. Cached pages hold no secret (no CSRF token, no session), so
compressing them gives BREACH nothing to read.
"""

import gzip
import hashlib
import threading
from collections import OrderedDict
from datetime import datetime, time
from functools import lru_cache
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag

from indicators.domain import data_version

SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/api/", "/static/", "/media/")
KEPT_HEADERS_SKIP = {
    "set-cookie",
    "date",
    "etag",
    "last-modified",
    "x-page-cache",
    "content-length",  # set for the body sent: plain or compressed
}

# Text is stored compressed too; everything else (xlsx, ods, docx, zip, images) is compressed
# already or gains nothing.
COMPRESSED_TYPES = {"text/html", "text/csv", "text/plain", "application/json"}
# Below this a compressed copy saves less than the headers that announce it.
COMPRESS_MIN_BYTES = 1024
# The encodings a cached page is stored in, in the order they are preferred when a browser
# accepts several. Each is run at most once per page and data version, and only when a request
# accepts it (a client that accepts neither costs no compression), so the levels favour size;
# brotli's top quality (11) would take 0.2 s on a 120 KB list, quality 6 takes 2 ms for about
# a fifth more bytes.
ENCODINGS = {
    "br": lambda content: brotli.compress(content, quality=6),
    "gzip": lambda content: gzip.compress(content, compresslevel=9, mtime=0),
}


def language(request):
    """The language the page will be in (as ChosenLanguageMiddleware decides it)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _ in settings.LANGUAGES} else settings.LANGUAGE_CODE


def page_key(request):
    """Language, today's date, path and query. Pages read today's date (the plan line's
    "2026年执行中的规划", whether a plan has ended and has its 终期评估, the report's default
    year when no figure is in), so a page cached yesterday is never served today."""
    query = urlencode(sorted((k, sorted(v)) for k, v in request.GET.lists()), doseq=True)
    digest = hashlib.md5(f"{request.path}?{query}".encode(), usedforsecurity=False).hexdigest()
    return f"page:{language(request)}:{timezone.localdate().isoformat()}:{digest}"


# With Redis, each worker also keeps the pages it served last in its own memory (up to
# LOCAL_BYTES of content), so a hit costs no round trip to Redis: the worker knows the current
# token from the announcements of every change (data_version.watched), and the token decides,
# as for every entry, whether the copy is still current.
LOCAL_BYTES = 16 * 2**20
# A page larger than this share of it (a print report at a very large scale) is read from Redis
# each time rather than pushing every other page out.
LOCAL_LARGEST = LOCAL_BYTES // 4


class LocalCopies:
    """The pages this worker served last, least recently served dropped first; shared by the
    worker's threads."""

    def __init__(self, limit):
        self.limit, self.size = limit, 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            kept = self.entries.get(key)
            if kept is None:
                return None
            self.entries.move_to_end(key)
            return kept[0]

    def keep(self, key, entry):
        # Each entry with its size when kept: a compressed copy added later (kept again)
        # changes the entry itself.
        size = entry_bytes(entry)
        if size > LOCAL_LARGEST:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self.entries[key] = (entry, size)
            self.size += size
            while self.size > self.limit:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= dropped

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


def entry_bytes(entry):
    """The bytes of a page's bodies: the plain page and each compressed copy."""
    copies = entry.get("encoded", {}).values()
    return len(entry["content"]) + sum(len(copy[0]) for copy in copies if copy is not None)


_local = LocalCopies(LOCAL_BYTES)


def forget_local_copies():
    """Drop this worker's own copies (tests that empty the shared cache call it too)."""
    _local.clear()


def version_and_entry(key):
    """The current data version and the page's cached entry: one round trip to Redis, or
    none when this worker holds the page itself and no change has been announced.

    An entry is kept under the page's own key with the version it was rendered at, and is
    only served while that is still the current version.
    """
    if data_version.shared_cache():
        local = _local.get(key)
        if local is not None:
            version = data_version.watched()
            if local["version"] == version:
                return version, local
        found = cache.get_many([data_version.CACHE_KEY, key])
        version = found.get(data_version.CACHE_KEY) or data_version.current()
        entry = found.get(key)
        if entry is not None and entry.get("version") == version:
            _local.keep(key, entry)
    else:
        version, entry = data_version.current(), cache.get(key)
    if entry is not None and entry.get("version") != version:
        entry = None
    return version, entry


def store(key, entry):
    """Keep the page's entry in the cache (and, with Redis, in this worker's memory)."""
    cache.set(key, entry, settings.BEICHEN_PAGE_CACHE_SECONDS)
    if data_version.shared_cache():
        _local.keep(key, entry)


def cacheable_request(request):
    return (
        settings.BEICHEN_PAGE_CACHE
        # The middleware runs first: a request SecurityMiddleware redirects to HTTPS is left to it.
        and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        and settings.BEICHEN_PUBLIC
        and request.method == "GET"
        and not request.path.startswith(SKIPPED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Content-Encoding")  # compressed on the way: not stored
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def compressible(response, content):
    """Whether a page is stored compressed too: text of COMPRESS_MIN_BYTES or more."""
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return len(content) >= COMPRESS_MIN_BYTES and content_type in COMPRESSED_TYPES


def compressed_copy(entry, encoding):
    """The entry's copy in `encoding`, (body, its ETag), made and added to the entry the first
    time it is asked for; None when it would be no smaller than the page (remembered too)."""
    encoded = entry["encoded"]
    if encoding not in encoded:
        body = ENCODINGS[encoding](entry["content"])
        small = len(body) < len(entry["content"])
        encoded[encoding] = (body, f'{entry["etag"][:-1]}-{encoding}"') if small else None
    return encoded[encoding]


@lru_cache(maxsize=64)
def accepted_encodings(header):
    """The content codings an Accept-Encoding header accepts (q above zero), lower-cased;
    "*" stands for any coding the header does not name."""
    accepted, refused = set(), set()
    for part in header.split(","):
        coding, *params = (item.strip() for item in part.split(";"))
        if not coding:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        (accepted if quality > 0 else refused).add(coding.lower())
    if "*" in accepted:
        accepted |= set(ENCODINGS) - refused
    return frozenset(accepted)


def chosen_encoding(request, entry):
    """The encoding of the copy to send (brotli before gzip, the first the request accepts
    that makes the page smaller), or None for the plain page. A copy is made, and the entry
    changed, the first time a request accepts its encoding: `stored` is then False.

    Returns (encoding, stored)."""
    if not entry.get("compressible"):
        return None, True
    accepted = accepted_encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    stored = True
    for encoding in ENCODINGS:
        if encoding not in accepted:
            continue
        stored = stored and encoding in entry["encoded"]
        if compressed_copy(entry, encoding) is not None:
            return encoding, stored
    return None, stored


def last_modified(version):
    """The last change of the data, or the start of today when that is later: a page may read
    today's date, so one rendered today is newer than any browser's copy of yesterday's."""
    midnight = timezone.make_aware(
        datetime.combine(timezone.localdate(), time.min), timezone.get_current_timezone()
    )
    return max(data_version.changed_at(version), midnight).timestamp()


def _mark(response, entry, state, encoding):
    """The body sent (the plain page, or its copy in `encoding`) and its headers."""
    if encoding is None:
        response["ETag"] = entry["etag"]
    else:
        response.content, response["ETag"] = entry["encoded"][encoding]
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    response["Last-Modified"] = entry["last_modified_http"]
    response["Cache-Control"] = "no-cache"  # browsers may keep it but ask (and get a 304)
    response["X-Page-Cache"] = state
    return response


class PublishedPageCacheMiddleware:
    """The first middleware: a hit runs nothing else (no session, authentication, CSRF or
    locale work) and costs no database query, and with Redis no round trip either once the
    worker holds the page (or one, to read it); with local memory,
    one small query (the version). The response it stores has been through every other
    middleware (SecurityMiddleware's headers included), and a hit carries those headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        version, entry = version_and_entry(key)
        if entry is None:
            # Requests of this worker for a page another is rendering wait for it and are
            # then answered from the cache, instead of rendering it alongside (a workbook at
            # 100× data takes seconds and some 70 MB to build).
            with data_version.one_at_a_time(("page", key, version)):
                version, entry = version_and_entry(key)
                if entry is None:
                    return self.render(request, key, version)
        return self.respond(request, key, entry)

    def render(self, request, key, version):
        """The page rendered by the rest of the stack, stored when it is a published one."""
        response = self.get_response(request)
        if not cacheable_response(response):
            return response
        content = response.content
        etag = quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())
        compressed = compressible(response, content)
        if compressed:
            patch_vary_headers(response, ["Accept-Encoding"])
        entry = {
            "version": version,
            "status": response.status_code,
            "content": content,
            "compressible": compressed,
            "encoded": {},  # the compressed copies made so far: compressed_copy
            "headers": [(k, v) for k, v in response.items() if k.lower() not in KEPT_HEADERS_SKIP],
            "etag": etag,
            "last_modified": int(last_modified(version)),
        }
        entry["last_modified_http"] = http_date(entry["last_modified"])
        encoding, _ = chosen_encoding(request, entry)  # stored with the page
        store(key, entry)
        return _mark(response, entry, "miss", encoding)

    def respond(self, request, key, entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        encoding, stored = chosen_encoding(request, entry)
        if not stored:  # the first request for this encoding: the new copy is stored too
            store(key, entry)
        _mark(response, entry, "hit", encoding)
        if not ("HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META):
            return response
        etag, last_modified = response["ETag"], entry["last_modified"]
        return (
            get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
            or response
        )
