"""gunicorn's settings for Alqa: `gunicorn alqa.wsgi -c gunicorn.conf.py` (docs/operations.md §5).

The master loads the application once (`preload_app`) and the workers are forked from it: Django
and its apps, the URL configuration with every view and the API's schemas, and WeasyPrint warmed
for the first print pack (alqa/documents/warmup.py; the workers render print packs, the control
and plan reports, notes and letters while the user waits). Before forking, the master finishes
that warm-up, closes its database connections and moves what it holds out of the garbage
collector's reach (`gc.freeze()`): a collection in a worker then does not write into those
objects, so their memory pages stay shared with the master copy-on-write instead of each worker
holding its own copy (docs/performance.md, "Execution control", memory of a worker).

A consequence: `kill -HUP` (`systemctl reload alqa`) starts new workers from the master's copy of
the code, so a deployment of new code restarts the service (`systemctl restart alqa`).
"""

import gc
import logging
import threading

bind = "127.0.0.1:8000"  # behind nginx only (docs/operations.md); the command line may override these
workers = 3
timeout = 60
accesslog = "-"
preload_app = True

WARM_UP_WAIT = 60  # seconds the master waits for the print warm-up before forking anyway


def when_ready(server):
    """In the master, after the application is loaded and before the first worker is forked."""
    from django.db import connections
    from django.urls import get_resolver

    # every view and the API's routers imported once here, not on each worker's first request
    get_resolver().reverse_dict  # noqa: B018 - the property imports and indexes the URL configuration
    for thread in threading.enumerate():
        if thread.name == "alqa-warm-documents":
            # a fork while the warm-up thread holds a lock would leave the lock held in the worker
            thread.join(WARM_UP_WAIT)
            if thread.is_alive():
                logging.getLogger("alqa").warning("forking before the print warm-up finished")
    connections.close_all()  # a connection must not be shared by the forked workers
    gc.collect()
    gc.freeze()
