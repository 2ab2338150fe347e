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
