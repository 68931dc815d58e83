"""Writes of the operations context (only the worker heartbeat; no personal data)."""

from __future__ import annotations

from datetime import datetime

from ostoja.ops.models import WorkerHeartbeat


def worker_heartbeat_record(*, worker_id: str, now: datetime) -> None:
    """Record that the worker ``worker_id`` is alive at ``now`` (idempotent upsert)."""
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})
