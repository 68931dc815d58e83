"""The health report for monitoring (stan systemu): database, worker, disk — figures only.

Nothing here reads a person's data: the database check is ``SELECT 1``, the worker check reads
the heartbeat table, the disk check reads the file system's free space.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

# The worker writes a heartbeat every HEARTBEAT_SECONDS; older than this counts as dead.
WORKER_STALE_SECONDS = 120
DISK_MIN_FREE_PERCENT = 10.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def check_database() -> Check:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error: report the class, never the message
        return Check(False, {"error": type(exc).__name__})
    return Check(True, {"ms": round((time.perf_counter() - started) * 1000, 1)})


def check_rq_workers() -> Check:
    """With Redis as the queue (``RQ_QUEUES`` set): the RQ workers listening on the default
    queue, as RQ registers them in Redis — the RQ worker writes no heartbeat row."""
    try:
        import django_rq
        from rq import Worker

        workers = Worker.all(queue=django_rq.get_queue("default"))
    except Exception as exc:  # Redis down or unreachable: report the class only
        return Check(False, {"error": type(exc).__name__})
    return Check(bool(workers), {"rq_workers": len(workers)})


def check_worker(*, now: datetime) -> Check:
    from ostoja.ops.models import WorkerHeartbeat

    if getattr(settings, "RQ_QUEUES", None):
        return check_rq_workers()

    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen = last.first()
    except Exception as exc:
        return Check(False, {"error": type(exc).__name__})
    if seen is None:
        return Check(False, {"last_seen_seconds": None})
    age = (now - seen).total_seconds()
    return Check(age <= WORKER_STALE_SECONDS, {"last_seen_seconds": round(age)})


def check_disk(path: Path | None = None) -> Check:
    target = path or Path(getattr(settings, "OSTOJA_DATA_DIR", settings.BASE_DIR))
    while not target.exists() and target != target.parent:
        target = target.parent
    usage = shutil.disk_usage(target)
    free = 100.0 * usage.free / usage.total if usage.total else 0.0
    return Check(free >= DISK_MIN_FREE_PERCENT, {"free_percent": round(free, 1)})


def health_report(*, now: datetime) -> dict[str, Any]:
    """``{"status": "ok"|"fail", "checks": {...}}`` — safe to show to a monitoring system."""
    checks = {
        "database": check_database(),
        "worker": check_worker(now=now),
        "disk": check_disk(),
    }
    status = "ok" if all(c.ok for c in checks.values()) else "fail"
    return {
        "status": status,
        "checks": {name: {"ok": c.ok, **c.detail} for name, c in checks.items()},
    }
