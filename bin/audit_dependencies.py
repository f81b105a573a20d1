#!/usr/bin/env python3
"""Run pip-audit on the installed environment; fail on any known vulnerability.

The only failure tolerated is the vulnerability database being out of reach, which is what
happens on machines whose network reaches the package index but not PyPI's JSON API nor
OSV: pip-audit then reports every dependency as "not found" and audits nothing. That case is
printed loudly as NOT AUDITED and exits 0; a finding, or any other error, exits 1.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404 - runs pip-audit with a fixed argument list
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
UNREACHABLE = ("Dependency not found on PyPI", "ConnectionError", "NameResolutionError")


def run(service: str) -> tuple[int, dict | None, str]:
    result = subprocess.run(  # noqa: S603 # nosec B603 - fixed arguments, no shell
        [str(PIP_AUDIT), "--format", "json", "--progress-spinner", "off", "-s", service],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout) if result.stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    return result.returncode, report, result.stderr


def main() -> int:
    notes = []
    for service in ("pypi", "osv"):
        code, report, stderr = run(service)
        if report is None:
            notes.append(f"{service}: {stderr.strip().splitlines()[-1] if stderr else code}")
            if any(marker in stderr for marker in UNREACHABLE):
                continue
            print(stderr, file=sys.stderr)
            return 1
        deps = report["dependencies"]
        vulnerable = [d for d in deps if d.get("vulns")]
        audited = [d for d in deps if "skip_reason" not in d]
        if vulnerable:
            for dep in vulnerable:
                ids = ", ".join(v["id"] for v in dep["vulns"])
                print(f"VULNERABLE {dep['name']} {dep['version']}: {ids}")
            return 1
        if audited:
            print(f"pip-audit ({service}): {len(audited)} packages audited, none vulnerable")
            return 0
        reasons = {d.get("skip_reason", "") for d in deps}
        if all(any(m in r for m in UNREACHABLE) for r in reasons):
            notes.append(f"{service}: all {len(deps)} packages skipped (database unreachable)")
            continue
        print(f"pip-audit ({service}): nothing audited: {sorted(reasons)[:3]}", file=sys.stderr)
        return 1
    print("WARNING: DEPENDENCIES NOT AUDITED: no vulnerability database is reachable from here.")
    for note in notes:
        print(f"  {note}")
    print("  Run `make audit` on a machine with internet access before a release (SECURITY.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
