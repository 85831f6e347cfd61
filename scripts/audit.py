"""Check the locked packages for known vulnerabilities (pip-audit, PyPI's advisory data).

    .venv/bin/python scripts/audit.py     (scripts/test.sh runs it after installing the lock)

requirements/test.txt holds every package of requirements/app.txt at the same version (this
script checks that), so one run covers the bot and the tools. pip-audit reads the lock as
it is (--disable-pip: nothing is installed or built) and checks each file's hash too.

Exit 1 when a locked version has a known vulnerability: raise it within pyproject.toml's
range (`bash scripts/lock.sh --upgrade-package NAME`), or, when no fixed version exists,
add `--ignore-vuln ID` below with the reason in a comment. When the advisory service
cannot be reached (this workplace reaches the package index only), the packages are not
checked: that prints a WARNING block and exits 0, because a CI that fails whenever a
service is away is turned off sooner or later. KKS_AUDIT=require makes that exit 1 too
(for a machine that does reach the service); KKS_AUDIT=no skips the audit, and says so.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_LOCK = ROOT / "requirements" / "app.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
# Known vulnerabilities we accept for now, each with its reason: ("ID", "why").
IGNORED: list[tuple[str, str]] = []
# What a connection failure looks like in pip-audit's error output.
UNREACHABLE = re.compile(
    r"ConnectionError|NameResolutionError|Max retries exceeded|timed out|ServiceError|"
    r"Temporary failure in name resolution|Connection refused|SSLError",
)


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", lock.read_text(), re.MULTILINE))


def not_checked(mode: str, why: str) -> int:
    bar = "!" * 78
    say(bar)
    say("WARNING: vulnerability audit NOT DONE: the locked packages were not checked.")
    say(f"  {why}")
    say("  Run `.venv/bin/python scripts/audit.py` where the advisory service is reachable.")
    say(bar)
    return 1 if mode == "require" else 0


def main() -> int:
    mode = os.environ.get("KKS_AUDIT", "warn")
    if mode not in {"warn", "require", "no"}:
        say(f"KKS_AUDIT must be warn, require or no, not {mode!r}")
        return 2
    app, test = pins(APP_LOCK), pins(TEST_LOCK)
    differ = sorted(n for n in app if test.get(n) != app[n])
    if differ:
        say("requirements/test.txt does not hold requirements/app.txt's versions of: "
            + ", ".join(differ) + "; run `bash scripts/lock.sh`")
        return 1
    if mode == "no":
        say("Vulnerability audit skipped (KKS_AUDIT=no).")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--requirement", str(TEST_LOCK),
                   "--require-hashes", "--disable-pip", "--progress-spinner", "off",
                   "--format", "json", "--output", str(report)]
        for vuln_id, _why in IGNORED:
            command += ["--ignore-vuln", vuln_id]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        found = json.loads(report.read_text()) if report.exists() else None
    if found is None:
        errors = done.stderr.strip()
        last = errors.splitlines()[-1] if errors else f"pip-audit exited {done.returncode}"
        if UNREACHABLE.search(errors):
            return not_checked(mode, f"The advisory service could not be reached: {last[:300]}")
        say(errors or done.stdout)
        say(f"pip-audit failed (exit {done.returncode}) without reaching a verdict.")
        return 1

    deps = found["dependencies"]
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for dep in vulnerable:
        where = "the bot" if dep["name"] in app else "the tests and tools"
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            aliases = ", ".join(vuln.get("aliases") or [])
            say(f"VULNERABLE: {dep['name']} {dep['version']} ({where}): {vuln['id']}"
                f"{f' ({aliases})' if aliases else ''}; fixed in: {fixed}")
    if vulnerable:
        say(f"{len(vulnerable)} locked package(s) with known vulnerabilities: raise them within"
            " pyproject.toml's ranges (`bash scripts/lock.sh --upgrade-package NAME`).")
        return 1
    checked = len(deps) - len(skipped)
    if skipped and checked == 0:
        return not_checked(
            mode, f"None of the {len(deps)} packages could be looked up; pip-audit said, e.g.:"
            f" {skipped[0]['skip_reason'][:200]}")
    if skipped:
        say(f"Vulnerability audit: {checked} of {len(deps)} locked packages checked, none"
            " with a known vulnerability.")
        return not_checked(mode, "Not looked up: " + "; ".join(
            d["skip_reason"] for d in skipped)[:600])
    say(f"Vulnerability audit: {len(deps)} locked packages checked, none with a known"
        f" vulnerability{f' ({len(IGNORED)} ignored, see scripts/audit.py)' if IGNORED else ''}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
