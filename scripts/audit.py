"""`make audit`: known vulnerabilities of the locked production dependencies.

Runs pip-audit on requirements/base.lock (hashed, no resolver, no install)
against PyPI's advisory data. Any known vulnerability fails, unless
security/audit-exceptions.toml accepts it with a reason and a date it holds
until. Where no advisory source answers (no network, or PyPI's JSON API not
reachable from here), the step says so plainly and exits 0: an audit that
could not run is not a finding. A tool error (bad lock file) still fails.
"""

import datetime
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "base.lock"
EXCEPTIONS = ROOT / "security" / "audit-exceptions.toml"
UNREACHABLE = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "timed out",
)


def accepted(path: Path = EXCEPTIONS, today: datetime.date | None = None) -> dict[str, str]:
    """Accepted vulnerability ids -> reason (expired ones left out)."""
    today = today or datetime.date.today()
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text())
    result = {}
    for entry in data.get("exception", []):
        until = entry.get("until")
        if not entry.get("reason") or (until is not None and until < today):
            continue
        result[str(entry["id"])] = str(entry["reason"])
    return result


def evaluate(report: dict, exceptions: dict[str, str]) -> tuple[int, list[str]]:
    """Exit code and lines to print for pip-audit's JSON report."""
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        return 0, [
            "» Audit: keine Schwachstellen-Datenbank erreichbar (PyPI lieferte zu keinem "
            f"der {len(deps)} Pakete Daten). Die Prüfung wurde NICHT durchgeführt."
        ]
    lines, found = [], 0
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            label = f"{dep['name']} {dep['version']}: {vuln['id']}"
            reason = next((exceptions[i] for i in ids if i in exceptions), None)
            if reason is not None:
                lines.append(f"  akzeptiert: {label} ({reason})")
                continue
            found += 1
            fix = ", ".join(vuln.get("fix_versions", [])) or "keine"
            lines.append(f"  VERWUNDBAR: {label}; behoben in: {fix}")
    skipped = len(deps) - len(audited)
    summary = f"» Audit: {len(audited)} Pakete geprüft"
    summary += f", {skipped} ohne Daten" if skipped else ""
    summary += f", {found} bekannte Schwachstelle(n)." if found else ", keine offene Schwachstelle."
    return (1 if found else 0), [summary, *lines]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        command = [
            str(Path(sys.executable).parent / "pip-audit"),
            "--requirement", str(LOCK), "--require-hashes", "--disable-pip",
            "--progress-spinner", "off", "--format", "json", "--output", str(out),
        ]  # fmt: skip
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            print("» Audit: die Schwachstellen-Datenbank antwortete nicht; nicht geprüft.")
            return 0
        if not out.exists():
            if any(marker in run.stderr for marker in UNREACHABLE):
                print("» Audit: keine Schwachstellen-Datenbank erreichbar; nicht geprüft.")
                return 0
            sys.stderr.write(run.stderr)
            return run.returncode or 1
        code, lines = evaluate(json.loads(out.read_text()), accepted())
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
