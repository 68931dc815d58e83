"""``ostoja worker`` — the background worker: django-tasks' ``db_worker`` plus a heartbeat.

The heartbeat (a row in ``ops_workerheartbeat``, every ``--heartbeat`` seconds) is what the
health endpoint reads to tell monitoring that the worker is alive. With each beat the bytes of
expired background files are dropped (``ostoja.ops.files.generated_files_purge``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ostoja.core import dates

logger = logging.getLogger("ostoja.worker")


class Command(DbWorkerCommand):
    help = "Proces zadań w tle (listy wypłat, raporty, pliki PDF) z sygnałem życia."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--heartbeat", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        from ostoja.ops.files import generated_files_purge
        from ostoja.ops.services import worker_heartbeat_record

        def beat_once() -> None:
            worker_heartbeat_record(worker_id=worker_id, now=dates.now())
            generated_files_purge(now=dates.now())

        worker_id = (options.get("worker_id") or f"{socket.gethostname()}-{os.getpid()}")[:64]
        options["worker_id"] = worker_id
        stop = threading.Event()

        def beat() -> None:
            # The first beat was written below, before the worker starts: the thread waits one
            # interval before its own. Two connections writing at the same instant is what SQLite
            # handles worst (a shared-cache test database reports "table is locked" at once
            # instead of waiting).
            while not stop.wait(options["heartbeat"]):
                try:
                    close_old_connections()
                    beat_once()
                except Exception:  # the database may be restarting: try again later
                    logger.warning("heartbeat failed", exc_info=True)
                finally:
                    connection.close()

        # The first sign of life is written before any job starts, in this thread: a short
        # batch run may end before the heartbeat thread's first write gets the database.
        try:
            beat_once()
        except Exception:  # the database may be restarting: the thread tries again
            logger.warning("heartbeat failed", exc_info=True)
        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
