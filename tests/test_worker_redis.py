"""The production path of background work: the huey worker on Redis drains the outbox into SMTP.

Runs the real `manage.py run_huey` consumer in a subprocess against Redis on 127.0.0.1:6379, with
its own SQLite file, and a real SMTP server (aiosmtpd) in this process.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from tests.test_outbox_smtp import Sink, _free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_url():
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.fail("Redis must run on 127.0.0.1:6379 for this test (CI machines have it).")
    return url


def test_worker_on_redis_sends_queued_mail(tmp_path, redis_url):
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALQA_", "PYTEST"))} | {
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "ALQA_HUEY_IMMEDIATE": "false",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(manage + ["migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    name = f"worker-{uuid.uuid4().hex[:8]}@alqa.test"
    worker = subprocess.Popen(
        manage + ["run_huey", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        queue = (
            "from django.db import transaction; from alqa.domain.outbox import queue_raw_mail\n"
            "with transaction.atomic():\n"
            f"    queue_raw_mail(to='{name}', subject='Проверка очереди', text='Текст письма')\n"
        )
        subprocess.run(manage + ["shell", "-v0", "-c", queue], cwd=ROOT, env=env, check=True, timeout=60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(m["To"] == name for m in sink.messages):
            time.sleep(0.2)
        delivered = [m for m in sink.messages if m["To"] == name]
        if not delivered:
            worker.terminate()
            output = worker.communicate(timeout=20)[0].decode(errors="replace")
            pytest.fail(f"the worker did not deliver the mail within 60 s; its output:\n{output[-3000:]}")
        assert "Проверка очереди" in str(delivered[0]["Subject"]) or delivered[0]["Subject"]
        status = subprocess.run(
            manage
            + [
                "shell",
                "-v0",
                "-c",
                f"from alqa.models import OutboxMessage; print(OutboxMessage.objects.get(to='{name}').status)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert status.stdout.strip() == "sent"
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        controller.stop()


def test_workers_share_the_cache_on_redis(redis_url):
    """With ALQA_CACHE_URL, what one worker process stores (a rendered fragment, a sign-in
    counter) another finds: two separate processes here."""
    cache_url = redis_url.rsplit("/", 1)[0] + "/14"
    key = f"shared-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALQA_", "PYTEST"))} | {
        "DJANGO_DEBUG": "true",
        "ALQA_CACHE_URL": cache_url,
        "DJANGO_SETTINGS_MODULE": "alqa.settings",
    }
    setup = "import django; django.setup(); from django.core.cache import cache; "

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", setup + code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    run(f"cache.set({key!r}, 'Күн тәртібі', 60)")
    assert (
        run(
            f"from django.core.cache import caches; print(type(caches['default']).__name__, cache.get({key!r}))"
        )
        == "RedisCache Күн тәртібі"
    )
    assert redis.Redis.from_url(cache_url).keys(f"alqa:*{key}")  # under the installation's prefix
    run(f"cache.delete({key!r})")
