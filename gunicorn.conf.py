"""gunicorn's settings for `make serve` and the served benchmark (read from the working
directory by gunicorn itself; the command line may add --bind and --workers).

Threads let one worker answer a page from the cache while another request of the same
worker waits on the database, and keep-alive lets a browser (or wrk) reuse its connection
for the page, its stylesheets and scripts instead of opening one per request.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))

# glibc gives each thread that allocates its own memory pool ("arena"), and memory freed in one
# thread's arena is not reused by another's: a worker whose threads took turns building the
# printable report and the workbook held both builds' memory. One arena for all of a worker's
# threads (they take turns under Python's lock anyway) measured 200–201 MB at the peak for a
# worker serving every page, the print report and the workbook at 100× data, against 231–232
# MB with glibc's default. MALLOC_ARENA_MAX in the environment, read by glibc itself, wins.
M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h
ARENAS = 1


def post_fork(server, worker):
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, ARENAS)
    except (OSError, AttributeError):  # not glibc: its own allocator's defaults
        server.log.debug("mallopt is not available; the allocator keeps its defaults")
