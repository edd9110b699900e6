"""deploy/pacer.service and deploy/pacer@.service: the options an operator relies on, and
`systemd-analyze verify` where systemd is installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ["pacer.service", "pacer@.service"]
INSTALLED_PACER = "/opt/pacer/.venv/bin/pacer"


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections → key → values (a key may repeat, e.g. EnvironmentFile)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"an option outside a section: {line!r}"
        key, sep, value = line.partition("=")
        assert sep, f"not key=value: {line!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_restarts_on_failure_and_is_locked_down(name: str) -> None:
    unit = parse_unit((DEPLOY / name).read_text())
    service = unit["Service"]

    def one(key: str) -> str:
        [value] = service[key]
        return value

    assert one("ExecStart") == f"{INSTALLED_PACER} run"
    assert one("Restart") == "on-failure"
    assert one("RestartPreventExitStatus") == "2"  # a bad setting: restarting cannot fix it
    assert service["EnvironmentFile"][0] == "/etc/pacer/pacer.env"
    assert one("User") == "pacer"
    assert one("NoNewPrivileges") == "true"
    assert one("ProtectSystem") == "strict"
    assert one("ProtectHome") == "true"
    assert one("PrivateTmp") == "true"
    assert one("CapabilityBoundingSet") == ""
    # ProtectSystem=strict makes the file system read-only but for the state directory,
    # which is where Pacer runs and keeps a SQLite database.
    assert one("StateDirectory") == "pacer"
    assert one("WorkingDirectory") == "/var/lib/pacer"
    assert "ReadWritePaths" not in service
    assert one("KillSignal") == "SIGTERM"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]
    assert "network-online.target" in unit["Unit"]["After"][0]


def test_each_worker_adds_its_own_environment_file() -> None:
    service = parse_unit((DEPLOY / "pacer@.service").read_text())["Service"]
    assert service["EnvironmentFile"] == ["/etc/pacer/pacer.env", "-/etc/pacer/pacer-%i.env"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    pacer = Path(sys.executable).with_name("pacer")  # stands in for the installed one
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace(INSTALLED_PACER, str(pacer))
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True, text=True, timeout=60,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
