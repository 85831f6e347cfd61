"""The lock files and the audit's verdicts (scripts/audit.py; pip-audit itself is stood in)."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
assert _spec is not None and _spec.loader is not None
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)


def _name(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    app, test = audit.pins(audit.APP_LOCK), audit.pins(audit.TEST_LOCK)
    build = project["build-system"]["requires"]
    for requirement in project["project"]["dependencies"] + build:
        assert _name(requirement) in app, f"{requirement}: run bash scripts/lock.sh"
    for requirement in project["project"]["optional-dependencies"]["test"] + build:
        assert _name(requirement) in test, f"{requirement}: run bash scripts/lock.sh"
    assert all(test.get(name) == version for name, version in app.items())
    for lock in (audit.APP_LOCK, audit.TEST_LOCK):
        # Each pin is followed by at least one hash: pip's --require-hashes needs them all.
        blocks = re.split(r"\n(?=[a-z0-9])", lock.read_text())
        for block in blocks[1:]:
            assert "--hash=sha256:" in block, block.splitlines()[0]


@pytest.fixture(autouse=True)
def _default_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KKS_AUDIT", raising=False)


def _fake_pip_audit(monkeypatch: pytest.MonkeyPatch, report: dict[str, Any] | None,
                    returncode: int = 0, stderr: str = "") -> None:
    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        if report is not None:
            Path(command[command.index("--output") + 1]).write_text(json.dumps(report))
        return subprocess.CompletedProcess(command, returncode, "", stderr)

    monkeypatch.setattr(audit.subprocess, "run", run)


def test_a_vulnerable_pin_fails(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    vuln = {"id": "PYSEC-0000-1", "fix_versions": ["9.9"], "aliases": ["CVE-0000-1"]}
    _fake_pip_audit(monkeypatch, {"dependencies": [
        {"name": "jinja2", "version": "3.1.6", "vulns": [vuln]},
        {"name": "pytest", "version": "9.2.0", "vulns": []}]}, returncode=1)
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE: jinja2 3.1.6 (the bot): PYSEC-0000-1 (CVE-0000-1); fixed in: 9.9" in out


def test_a_clean_set_passes(monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    _fake_pip_audit(monkeypatch, {"dependencies": [{"name": "jinja2", "version": "3.1.6",
                                                    "vulns": []}]})
    assert audit.main() == 0
    assert "1 locked packages checked, none with a known vulnerability" in capsys.readouterr().out


@pytest.mark.parametrize("mode, code", [("warn", 0), ("require", 1)])
def test_an_unreachable_service_warns_loudly(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str],
                                             mode: str, code: int) -> None:
    monkeypatch.setenv("KKS_AUDIT", mode)
    skipped = {"name": "jinja2", "skip_reason": "Dependency not found on PyPI and could not be"
                                                " audited: jinja2 (3.1.6)"}
    _fake_pip_audit(monkeypatch, {"dependencies": [skipped]})
    assert audit.main() == code
    assert "WARNING: vulnerability audit NOT DONE" in capsys.readouterr().out
    _fake_pip_audit(monkeypatch, None, returncode=1, stderr="requests.exceptions.ConnectionError:"
                    " Max retries exceeded with url: /v1/query")
    assert audit.main() == code
    assert "could not be reached" in capsys.readouterr().out


def test_another_failure_of_pip_audit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_pip_audit(monkeypatch, None, returncode=1, stderr="Invalid requirement: 'x=='")
    assert audit.main() == 1
