"""Real services for tests: required under CI=true, skipped with a reason otherwise."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
T = TypeVar("T")
# pytest-xdist runs the suite in processes gw0, gw1, …: each gets Redis databases of its own.
XDIST_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _own_database(url: str) -> str:
    """Return the Redis URL moved down two databases per xdist process (15, 13, 11, …)."""
    base, _, number = url.rpartition("/")
    own = int(number) - 2 * XDIST_WORKER
    if own < 1:
        raise RuntimeError(f"pytest-xdist process gw{XDIST_WORKER} has no Redis database left")
    return f"{base}/{own}"


REDIS_TEST_URL = _own_database(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))


def wait_until(what: str, check: Callable[[], T], timeout: float = 60, every: float = 0.2) -> T:
    """Poll until ``check()`` returns something truthy and return it; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


def require(available: bool, what: str) -> None:
    """Fail under CI, skip otherwise, when a real service is missing."""
    if available:
        return
    if CI:
        pytest.fail(f"{what} is required when CI=true but is not available.")
    pytest.skip(f"needs {what}")


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> bool:
    """Wait until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


def redis_available(url: str = REDIS_TEST_URL) -> bool:
    """Tell whether Redis answers a ping."""
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def database_url_for(settings_dict: dict) -> str:
    """Return a DATABASE_URL for the (test) database another process should use."""
    if settings_dict["ENGINE"].endswith("postgresql"):
        user = settings_dict.get("USER") or ""
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or "5432"
        return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"
    return f"sqlite:///{settings_dict['NAME']}"


def end_process(process: subprocess.Popen, *, grace: float = 10) -> None:
    """Ask a server process to stop; kill it if it is still busy after ``grace`` seconds."""
    # Radicale finishes its open requests first (a refused login waits out its auth delay):
    # under load that can outlast any grace, and a test's teardown must not fail for it.
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


@dataclass
class Radicale:
    """A Radicale CalDAV server in a subprocess, with htpasswd users."""

    root: Path
    port: int = field(default_factory=free_port)
    users: dict[str, str] = field(
        default_factory=lambda: {"alice": "alice-pass", "bob": "bob-pass", "carol": "carol-pass"}
    )
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        """Start the server and wait until it answers."""
        htpasswd = self.root / "htpasswd"
        htpasswd.write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
        (self.root / "collections").mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--server-hosts",
                f"127.0.0.1:{self.port}",
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(htpasswd),
                "--auth-htpasswd-encryption",
                "plain",
                "--rights-type",
                "owner_only",
                "--storage-filesystem-folder",
                str(self.root / "collections"),
                "--logging-level",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for_port(self.port):
            self.stop()
            raise RuntimeError("Radicale did not start")

    def stop(self) -> None:
        """Stop the server (to test what happens while it is down)."""
        if self.process is not None:
            end_process(self.process)
            self.process = None


@dataclass
class CeleryWorker:
    """A real Celery worker process on Redis, sharing the test database."""

    queue: str
    process: subprocess.Popen
    log: Path
    io_queue: str = ""

    def idle(self, redis_url: str) -> bool:
        """Tell whether the worker has finished every task sent to it, follow-ups included.

        A ping on each queue goes round first: a solo worker runs its queue in order, so every
        task sent before it has run, and a follow-up one of them sent is waiting or unfinished.
        """
        import redis

        from tests.worker_tasks import ping

        for queue in filter(None, (self.queue, self.io_queue)):
            assert ping.apply_async((1,), queue=queue).get(timeout=30) == 2
        client = redis.Redis.from_url(redis_url)
        waiting = sum(client.llen(queue) for queue in filter(None, (self.queue, self.io_queue)))
        log = self.log.read_text()
        received = len(re.findall(r"\] received$", log, re.M))
        finished = len(re.findall(r"\] (?:succeeded in|raised unexpected|retry:)", log))
        return waiting == 0 and received == finished

    def kill(self) -> None:
        """SIGKILL the worker (a crash: what it had taken stays unacknowledged in Redis)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=15)

    def stop(self) -> None:
        """Stop the worker."""
        end_process(self.process, grace=15)


def cache_url_for(redis_url: str) -> str:
    """Return the Redis database the test process and its workers share as their cache."""
    # TEST_CACHE_URL lets parallel runs on one machine keep their caches apart.
    explicit = os.environ.get("TEST_CACHE_URL")
    if explicit:
        return _own_database(explicit)
    base, _, number = redis_url.rpartition("/")
    return f"{base}/{int(number) - 1}"


def start_celery_worker(
    *,
    database_url: str,
    redis_url: str,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    queue: str | None = None,
    pool: str = "solo",
    concurrency: int = 1,
) -> CeleryWorker:
    """Start `celery worker` on its own queue (or `queue`, to replace a stopped one) when ready.

    It consumes that queue's "io" twin as well (``<queue>-io``), where outbound I/O is routed.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    io_queue = f"{queue}-io"
    log = log_dir / f"{queue}-{uuid.uuid4().hex[:4]}.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rota.settings",
        "ROTA_TESTING": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_URL": cache_url_for(redis_url),
        "CELERY_QUEUE": queue,
        "CELERY_IO_QUEUE": io_queue,
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rota",
            "worker",
            "--include",
            "tests.worker_tasks",
            "--pool",
            pool,
            "--concurrency",
            str(concurrency),
            "--queues",
            f"{queue},{io_queue}",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited:\n{log.read_text()[-3000:]}")
        if "ready." in log.read_text():
            return CeleryWorker(queue=queue, process=process, log=log, io_queue=io_queue)
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"Celery worker did not become ready:\n{log.read_text()[-3000:]}")


def chromium_available() -> bool:
    """Tell whether the system Chromium is installed."""
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@dataclass
class PrivateRedis:
    """A redis-server of the test's own on a free port, to stop and start at will."""

    root: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        """Start the server (again, on the same port) and wait until it answers."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not redis_available(self.url()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server: connections to it are refused until start()."""
        if self.process is not None:
            end_process(self.process)
            self.process = None
