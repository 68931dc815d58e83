"""The background worker: the payment run routed through django-tasks (issue 21 §1)."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker writes its first heartbeat before taking jobs; a long interval keeps the heartbeat
# thread from writing while the worker holds SQLite's write lock (the shared-cache test database
# fails at once instead of waiting — stop 26's CI failure).


def test_payroll_task_is_queued_in_the_database_and_run_by_the_worker() -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from ostoja.ops.models import WorkerHeartbeat
    from ostoja.ops.tasks import payroll_build_task

    # django-tasks resets its backends on setting_changed
    with override_settings(TASKS=DB_TASKS):
        result = payroll_build_task.enqueue("2026-11")
        assert DBTaskResult.objects.filter(id=result.id).exists()
        call_command("worker", batch=True, startup_delay=False, interval=0, heartbeat=3600)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", row.traceback
    assert row.return_value["month"].startswith("2026")
    assert WorkerHeartbeat.objects.exists()


def test_retention_dry_run_is_queued_and_run_by_the_worker() -> None:
    """Report generation through the worker: the retention dry run (issue 21 §4) returns
    ids and counts per record class (case files, person records), no names."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from ostoja.ops.tasks import retention_dry_run_task

    with override_settings(TASKS=DB_TASKS):
        result = retention_dry_run_task.enqueue("2027-01-01")
        call_command("worker", batch=True, startup_delay=False, interval=0, heartbeat=3600)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", row.traceback
    classes = [r["record_class"] for r in row.return_value]
    assert classes == ["case_file", "person_record"]
    assert all(r["on"] == "2027-01-01" and "expired_ids" in r for r in row.return_value)


def test_redis_as_the_queue_configures_django_rq() -> None:
    """OSTOJA_TASKS_BACKEND=redis: django-tasks-rq needs django-rq's app and its queue, pointed at
    REDIS_URL (docs/operations.md; the RQ run itself is tried by hand — no Redis on a fresh
    machine)."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, ostoja.settings as s; print(json.dumps([s.TASKS['default']['BACKEND'], "
        "'django_rq' in s.INSTALLED_APPS, s.RQ_QUEUES]))"
    )
    env = {
        **os.environ,
        "OSTOJA_TASKS_BACKEND": "redis",
        "REDIS_URL": "redis://10.0.0.5:6380/2",
        "OSTOJA_DEV": "1",
    }
    out = (
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    backend, installed, queues = json.loads(out)
    assert backend == "django_tasks_rq.RQBackend" and installed
    assert queues == {"default": {"URL": "redis://10.0.0.5:6380/2"}}
