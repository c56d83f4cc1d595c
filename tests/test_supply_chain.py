"""`make audit` (scripts/audit.py): findings fail, accepted ones with a reason pass,
and an unreachable advisory source is said plainly without failing."""

import datetime
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
assert spec and spec.loader
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

VULN = {"id": "PYSEC-2026-1", "aliases": ["CVE-2026-1", "GHSA-aaaa"], "fix_versions": ["6.1.4"]}


def _report(*vulns, skipped=0):
    deps = [{"name": "django", "version": "6.1.3", "vulns": list(vulns)}]
    deps += [{"name": f"p{i}", "skip_reason": "not found"} for i in range(skipped)]
    return {"dependencies": deps}


def test_a_known_vulnerability_fails_the_audit():
    code, lines = audit.evaluate(_report(VULN), {})

    assert code == 1
    assert "VERWUNDBAR: django 6.1.3: PYSEC-2026-1; behoben in: 6.1.4" in "\n".join(lines)


def test_an_accepted_vulnerability_passes_with_its_reason():
    code, lines = audit.evaluate(_report(VULN), {"GHSA-aaaa": "nur im Admin erreichbar"})

    assert code == 0
    assert "akzeptiert: django 6.1.3: PYSEC-2026-1 (nur im Admin erreichbar)" in "\n".join(lines)


def test_no_advisory_data_at_all_is_said_plainly_and_passes():
    report = {"dependencies": [{"name": "django", "skip_reason": "not found"}]}

    code, lines = audit.evaluate(report, {})

    assert code == 0
    assert "NICHT durchgeführt" in lines[0]


def test_a_clean_audit_passes_and_counts_what_it_could_not_check():
    code, lines = audit.evaluate(_report(skipped=2), {})

    assert code == 0
    assert lines == ["» Audit: 1 Pakete geprüft, 2 ohne Daten, keine offene Schwachstelle."]


def test_exceptions_need_a_reason_and_expire(tmp_path):
    path = tmp_path / "exceptions.toml"
    path.write_text(
        '[[exception]]\nid = "A"\npackage = "x"\nreason = "gilt"\nuntil = 2027-01-31\n'
        '[[exception]]\nid = "B"\npackage = "x"\nreason = "abgelaufen"\nuntil = 2026-01-31\n'
        '[[exception]]\nid = "C"\npackage = "x"\nreason = ""\n'
    )

    assert audit.accepted(path, today=datetime.date(2026, 12, 1)) == {"A": "gilt"}


def test_the_project_exception_file_parses():
    assert isinstance(audit.accepted(), dict)
