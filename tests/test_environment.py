"""environment.yml (conda) mirrors pyproject.toml (pip), which is the source of truth."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_mirrors_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + [
        dep for extra in project["optional-dependencies"].values() for dep in extra
    ]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed += [d for d in dep["pip"] if not d.startswith("-")]
        elif not re.match(r"(python|pip)\b", dep):
            listed.append(dep)
    assert dict(map(_split, listed)) == dict(map(_split, wanted))
    assert "conda-forge" in env["channels"]
    assert any(d.startswith("-e .") for d in env["dependencies"][-1]["pip"])
