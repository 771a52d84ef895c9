"""A load run: start (or target) the server, the dialer and the client workers; collect results."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from statsrv.load.children import Child, pump, wait_for
from statsrv.load.dialer import dialer_main
from statsrv.load.procstat import cpu_seconds, load_average, memory_kib
from statsrv.load.redis_baseline import RedisServer, publisher_main
from statsrv.load.report import build_report, collect_backend, server_part
from statsrv.load.server_process import ServerProcess
from statsrv.load.shared import Window, new_times
from statsrv.load.spec import LoadSpec, split_clients
from statsrv.load.target import Target
from statsrv.load.worker import Backend, worker_main

GO_DELAY_S = 0.5
PROGRESS_EVERY_S = 1.0
OPEN_TIMEOUT_S = 600.0
Progress = Callable[[str], None]


@dataclass(slots=True)
class Observed:
    """What the harness itself measures of the server process."""

    pid: int | None = None
    generator_pids: list[int] = field(default_factory=list)
    memory: dict[str, dict[str, int]] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    window_s: float = 0.0
    stopped: dict[str, Any] = field(default_factory=dict)
    log_events: dict[str, int] = field(default_factory=dict)

    def sample_memory(self, name: str) -> None:
        """Record the server's memory now."""
        if self.pid is not None:
            self.memory[name] = memory_kib(self.pid)

    def sample_cpu(self, name: str) -> None:
        """Record the CPU seconds of the server and of the load processes now."""
        used = [cpu_seconds(pid) for pid in self.generator_pids]
        self.cpu[f"{name}_generator"] = sum(u for u in used if u is not None)
        if self.pid is not None:
            used = cpu_seconds(self.pid)
            if used is not None:
                self.cpu[name] = used
                self.cpu[f"{name}_time"] = time.time()


def run_load(
    spec: LoadSpec,
    *,
    target: Target | None = None,
    baseline: bool = False,
    server_config: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the spec against statsrv (and then Redis); the complete report."""
    say = progress or (lambda _line: None)
    load_before = load_average()
    results = [_run_statsrv(spec, target, server_config, say)]
    if baseline:
        results.append(_run_redis(spec, say))
    return build_report(spec, results, load_before, load_average())


def _run_statsrv(
    spec: LoadSpec, target: Target | None, config: Path | None, say: Progress
) -> dict[str, Any]:
    if target is not None:
        say(f"statsrv: targeting {target.host}:{target.client_port}:{target.ingest_port}")
        observed = Observed()
        result = _drive("statsrv", spec, target, observed, say)
        return result | {"server": server_part(result, observed)}
    server = ServerProcess(config)
    try:
        client_port, ingest_port = server.wait_listening()
        say(f"statsrv: server pid {server.pid} on ports {client_port}/{ingest_port}")
        observed = Observed(pid=server.pid)
        result = _drive(
            "statsrv", spec, Target("127.0.0.1", client_port, ingest_port), observed, say
        )
    except BaseException:
        server.kill()
        raise
    observed.stopped = server.stop()
    observed.log_events = dict(server.events)
    return result | {"server": server_part(result, observed)}


def _run_redis(spec: LoadSpec, say: Progress) -> dict[str, Any]:
    server = RedisServer()
    say(f"redis: redis-server pid {server.pid} on port {server.port}")
    try:
        observed = Observed(pid=server.pid)
        result = _drive("redis", spec, Target("127.0.0.1", server.port, server.port), observed, say)
    finally:
        server.stop()
    return result | {"server": server_part(result, observed)}


def _drive(
    backend: Backend, spec: LoadSpec, target: Target, observed: Observed, say: Progress
) -> dict[str, Any]:
    times = new_times(spec.event_capacity())
    observed.sample_memory("start")
    dialer_entry = dialer_main if backend == "statsrv" else publisher_main
    dialer = Child("dialer", dialer_entry, spec, target.host, target.ingest_port, times)
    workers: list[Child] = []
    progress = _ProgressLine(say, backend)
    try:
        wait_for([dialer], "ready", OPEN_TIMEOUT_S, progress.on_message)
        observed.sample_memory("after_setup")
        for number, clients in enumerate(split_clients(spec.clients, spec.workers)):
            args = (spec, backend, clients, target.host, target.client_port, times)
            workers.append(Child(f"worker-{number}", worker_main, *args))
        say(f"{backend}: opening {spec.clients} clients x {spec.statistics_per_client} statistics")
        wait_for(workers, "ready", OPEN_TIMEOUT_S, progress.on_message)
        observed.sample_memory("after_open")
        window = Window.after(time.time() + GO_DELAY_S, spec.warmup_s, spec.duration_s)
        observed.window_s = spec.duration_s
        observed.generator_pids = [c.process.pid for c in (dialer, *workers) if c.process.pid]
        for child in (dialer, *workers):
            child.send("go", {"go": window.go})
        _follow_window(window, [dialer, *workers], observed, progress)
        wait_for([dialer], "final", spec.drain_timeout_s + 30, progress.on_message)
        observed.sample_memory("end")
        for worker in workers:
            worker.send("drain")
        wait_for(workers, "final", spec.drain_timeout_s + 30, progress.on_message)
        dialer.send("close")
    finally:
        for child in (dialer, *workers):
            if "final" not in child.received:
                child.send("stop")
            child.end()
    say(f"{backend}: done")
    return collect_backend(backend, spec, window, dialer, workers)


def _follow_window(
    window: Window, children: list[Child], observed: Observed, progress: _ProgressLine
) -> None:
    """Sample the server's CPU at the window's edges; show progress meanwhile."""
    for edge, moment in (("start", window.start), ("end", window.end)):
        while (left := moment - time.time()) > 0:
            pump(children, min(left, PROGRESS_EVERY_S), progress.on_message)
            progress.show(window)
        observed.sample_cpu(edge)


class _ProgressLine:
    """Sums the children's progress reports into one line a second."""

    def __init__(self, say: Progress, backend: str) -> None:
        self.say = say
        self.backend = backend
        self.latest: dict[str, dict[str, Any]] = {}
        self.shown_at = 0.0

    def on_message(self, child: Child, kind: str, payload: dict[str, Any]) -> None:
        if kind == "progress":
            self.latest[child.name] = payload

    def show(self, window: Window) -> None:
        now = time.time()
        if now - self.shown_at < PROGRESS_EVERY_S or not self.latest:
            return
        self.shown_at = now
        total: dict[str, int] = {}
        for payload in self.latest.values():
            for key, value in payload.items():
                total[key] = total.get(key, 0) + value
        phase = "warm-up" if now < window.start else "measuring"
        self.say(
            f"{self.backend}: {phase} t={now - window.go:5.1f}s "
            f"clients={total.get('connected', 0)} notifications={total.get('notifications', 0)} "
            f"answers={total.get('answers', 0)} errors={total.get('errors', 0)} "
            f"disconnects={total.get('disconnects', 0)}"
        )
