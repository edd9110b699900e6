"""`pacer` as a real process, for tests where the fault or the contract is at process level
(a kill, a signal, an exit code, what a subcommand prints), while the test's own event loop
keeps serving the fake Bot API and the fake Discord.

A subcommand that ends by itself (`db upgrade`, `doctor`, `export`, ...):

    result = run_pacer(tmp_path, "db", "upgrade", env={"PACER_DATABASE_URL": url})
    result = await asyncio.to_thread(run_pacer, ...)  # when the loop serves a fake meanwhile

`pacer run`, with its output (stdout and stderr) in a file:

    async with running_pacer(env, tmp_path / "w1.log") as pacer:
        await pacer.wait_for_log("telegram: @pacer_bot is polling")
        assert await pacer.stop() == 0  # SIGTERM, then its exit code

Every wait is bounded (DEADLINE unless told) and polls the other process's effects, never a
fixed sleep; a failed wait shows the end of the log. The child gets the caller's environment
without its PACER_* settings, plus the test's. A block that fails SIGKILLs the child; a block
that ends with the child still running stops it with SIGTERM (and fails if it will not stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 30.0  # seconds for a process to reach a state on a busy CI box
HEALTH_LINE = re.compile(r"health: http://([\d.]+):(\d+)/healthz")
LOG_TAIL = 3000  # characters of the log a failure shows


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def pacer_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment without its PACER_* settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACER_")}
    env.update(settings)
    env["PYTHONPATH"] = str(ROOT)
    return env


def pacer_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def run_pacer(
    cwd: Path, *args: str, env: Mapping[str, str], stdin: str = "", timeout: float = 90.0
) -> subprocess.CompletedProcess[str]:
    """`pacer ARGS` to its end: exit code, stdout and stderr (killed if it outlasts `timeout`)."""
    return subprocess.run(pacer_argv(*args), input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=pacer_env(env), timeout=timeout)


class PacerProcess:
    """One `python -m bot.cli run` child process; what it writes goes to `log_path`."""

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *pacer_argv("run"), cwd=self.log_path.parent, env=pacer_env(self.env),
                stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            )

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def failure(self, what: str) -> AssertionError:
        """An AssertionError naming `what` went wrong, with the end of the log."""
        return AssertionError(f"{what}; {self.log_path.name} ends:\n{self.log()[-LOG_TAIL:]}")

    def signal(self, sig: int) -> None:
        assert self.proc is not None and self.proc.returncode is None, "not running"
        self.proc.send_signal(sig)

    async def exit_code(self, timeout: float = DEADLINE) -> int:  # noqa: ASYNC109 - one bound
        assert self.proc is not None
        try:
            async with asyncio.timeout(timeout):
                return await self.proc.wait()
        except TimeoutError:
            raise self.failure(f"pacer still running after {timeout} s") from None

    async def wait_for_log(
        self, pattern: str | re.Pattern[str], timeout: float = DEADLINE  # noqa: ASYNC109
    ) -> re.Match[str]:
        """The first match of `pattern` (a text, or a regular expression) in the log, once
        it is there."""
        regex = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        found: re.Match[str] | None = None

        def logged() -> bool:
            nonlocal found
            found = regex.search(self.log())
            return found is not None

        shown = pattern if isinstance(pattern, str) else pattern.pattern
        await until(logged, timeout, f"{shown!r} in the log", pacer=self)
        assert found is not None
        return found

    async def health_url(self, timeout: float = DEADLINE) -> str:  # noqa: ASYNC109
        """The base URL of /healthz, /readyz and /metrics, once the process logged it."""
        found = await self.wait_for_log(HEALTH_LINE, timeout)
        return f"http://{found.group(1)}:{found.group(2)}"

    async def stop(self, timeout: float = DEADLINE) -> int:  # noqa: ASYNC109
        """SIGTERM, then the exit code; SIGKILL and fail if it does not end in `timeout`."""
        if self.running:
            self.signal(signal.SIGTERM)
        try:
            return await self.exit_code(timeout)
        finally:
            await self.kill()

    async def kill(self) -> None:
        if self.running:
            assert self.proc is not None
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()


@contextlib.asynccontextmanager
async def running_pacer(env: Mapping[str, str], log_path: Path) -> AsyncIterator[PacerProcess]:
    """A started `pacer run` for the block: SIGKILLed if the block fails, stopped with SIGTERM
    if the block ends with it still running."""
    pacer = PacerProcess(env, log_path)
    await pacer.start()
    try:
        yield pacer
    except BaseException:
        await pacer.kill()
        raise
    await pacer.stop()


async def until(
    condition: Callable[[], bool], timeout: float, what: str,  # noqa: ASYNC109
    *, pacer: PacerProcess | None = None,
) -> float:
    """Wait (polling another process's effects) until `condition()`; the seconds it took.
    With `pacer`, fail as soon as that process exits."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        exited = pacer is not None and not pacer.running  # before: all it wrote is there
        if condition():
            return loop.time() - started
        if pacer is not None and exited:
            code = pacer.proc.returncode if pacer.proc is not None else None
            raise pacer.failure(f"pacer exited ({code}) while waiting for {what}")
        if loop.time() - started > timeout:
            message = f"timed out after {timeout} s waiting for {what}"
            raise pacer.failure(message) if pacer is not None else AssertionError(message)
        await asyncio.sleep(0.05)  # the other process moves in real time
