"""Dependencies with known advisories are pinned above them, and what is installed complies."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
# Package -> the first release without the advisories we know of.
FLOORS = {"aiohttp": Version("3.12.14")}


def test_pyproject_floors_exclude_releases_with_known_advisories() -> None:
    deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    requirements = {Requirement(d).name.lower(): Requirement(d) for d in deps}
    for name, floor in FLOORS.items():
        allowed = requirements[name].specifier
        assert not allowed.contains(Version(f"{floor.major}.{floor.minor}.{floor.micro - 1}"))
        assert allowed.contains(floor)


def test_the_installed_releases_are_above_the_floors() -> None:
    for name, floor in FLOORS.items():
        assert Version(version(name)) >= floor
