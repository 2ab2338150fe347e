"""gunicorn.conf.py: what `make serve` and the served benchmark run the app with."""

import sys

import pytest

from tests.helpers import last_line_of_python

# Four threads each allocate while all four are alive, as a worker's threads do; glibc's
# malloc_info then lists the memory pools ("arenas", <heap nr=…>) the process has.
ARENAS_AFTER_THREADS = """
import ctypes, runpy, sys, tempfile, threading

class Server:
    class log:
        debug = staticmethod(print)

config = runpy.run_path("gunicorn.conf.py")
if sys.argv[1] == "forked":
    config["post_fork"](Server(), None)
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.fopen.restype = ctypes.c_void_p
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
barrier = threading.Barrier(4)

def work():
    block = libc.malloc(4096)
    barrier.wait()
    libc.free(block)

threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    stream = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(open(out.name).read().count("<heap nr="))
"""


def arenas(mode):
    return int(last_line_of_python(ARENAS_AFTER_THREADS, mode, env={"MALLOC_ARENA_MAX": None}))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_workers_threads_share_one_memory_pool():
    """Without the worker's hook each thread gets a pool of its own, and what one frees the
    others cannot reuse (a worker that built the print report in one thread and the workbook
    in another held both); with it, one pool."""
    assert arenas("plain") > 1
    assert arenas("forked") == 1
