"""The lock files pin every dependency pyproject.toml names, at an allowed version, with hashes
(offline; `make lock-check` in CI compares them with a fresh pip-compile)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")


def pins(lock: str) -> dict[str, str]:
    found: dict[str, str] = {}
    lines = (ROOT / lock).read_text().splitlines()
    for i, line in enumerate(lines):
        if match := PIN.match(line):
            assert lines[i + 1].strip().startswith("--hash=sha256:"), f"{line}: no hash"
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def requirements(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + (
        project["optional-dependencies"][extra] if extra else [])
    return [Requirement(text) for text in names]


@pytest.mark.parametrize(("lock", "extra"), [
    ("requirements.lock", None), ("requirements-dev.lock", "dev"),
])
def test_every_dependency_is_pinned_within_its_range(lock: str, extra: str | None) -> None:
    pinned = pins(lock)
    for requirement in requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in {lock}: run make lock"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, outside {requirement}: run make lock")


def test_both_locks_name_the_same_versions() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
