"""Deployment files: container image, compose file, reverse proxy, systemd units.

No container engine runs on the development machines, so the image is built
only where one answers (CI with Docker or Podman); the compose file is
always checked for its structure here, and by ``docker compose config`` where
that exists.
"""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from apps.operations.schedule import SCHEDULE

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy"
ROOT = DEPLOY.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_postgres_18_web_worker_and_a_tls_proxy(compose):
    services = compose["services"]

    assert {"db", "migrate", "web", "worker", "proxy"} <= set(services)
    assert services["db"]["image"].endswith("postgres:18")
    assert services["proxy"]["image"].split("/")[-1].startswith("caddy:")
    assert "443:443" in services["proxy"]["ports"]
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"] == ["python", "manage.py", "worker"]
    # Migrations run once before web and worker start.
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_db_web_and_worker_have_healthchecks(compose):
    services = compose["services"]

    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["web"]["healthcheck"]["test"][-1].endswith("healthcheck.py")
    assert services["worker"]["healthcheck"]["test"][-1] == "worker"


def test_app_containers_run_read_only_without_privileges(compose):
    for name in ("migrate", "web", "worker"):
        service = compose["services"][name]
        assert service["read_only"] is True
        assert "/tmp" in service["tmpfs"] and "/run/metrics" in service["tmpfs"]
        assert service["cap_drop"] == ["ALL"]
        assert "media:/data/media" in service["volumes"]


def test_secrets_come_from_files_never_from_the_compose_file(compose):
    secret_like = re.compile(r"(PASSWORD|SECRET_KEY|DATABASE_URL)$")
    for name, service in compose["services"].items():
        for key in service.get("environment", {}):
            assert not secret_like.search(key), f"{name}: {key} as plain value; use {key}_FILE"
    assert set(compose["secrets"]) == {
        "django_secret_key",
        "access_log_key",
        "database_url",
        "database_app_url",
        "db_password",
        "email_password",
    }
    assert all(entry["file"].startswith("./secrets/") for entry in compose["secrets"].values())


def test_the_image_is_multi_stage_non_root_with_healthcheck_and_static_files():
    text = (DEPLOY / "Containerfile").read_text()

    assert len(re.findall(r"^FROM ", text, re.MULTILINE)) >= 2
    assert re.search(r"^USER 10001", text, re.MULTILINE)
    assert "HEALTHCHECK" in text
    assert "collectstatic" in text
    assert "--require-hashes" in text


def test_the_proxy_keeps_metrics_and_readiness_inside():
    text = (DEPLOY / "Caddyfile").read_text()

    assert "@internal path /metrics /readyz" in text
    assert "respond @internal 404" in text
    assert "reverse_proxy web:8000" in text


def test_gunicorn_writes_no_access_log_and_nothing_to_the_root_file_system():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", DEPLOY / "gunicorn.conf.py")
    assert spec and spec.loader
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)

    assert config.accesslog is None
    assert config.worker_tmp_dir == "/dev/shm"


def test_every_scheduled_job_has_its_systemd_timer_and_no_other():
    timers = {path.name: path.read_text() for path in (DEPLOY / "systemd").glob("*.timer")}

    expected = {f"sozialraum-job-{job.name}.timer": job.systemd_timer() for job in SCHEDULE}
    assert timers == expected, "deploy/systemd veraltet: `manage.py systemd_timers` ausführen"


def test_systemd_units_read_secrets_as_credentials():
    for unit in ("sozialraum-web.service", "sozialraum-worker.service", "sozialraum-job@.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "LoadCredential=django_secret_key:" in text
        assert "DJANGO_SECRET_KEY_FILE=%d/django_secret_key" in text
        assert "ProtectSystem=strict" in text


def _engine() -> tuple[str | None, str]:
    """The container engine that answers, or why there is none."""
    for engine in ("docker", "podman"):
        if shutil.which(engine) is None:
            continue
        info = subprocess.run([engine, "info"], capture_output=True, text=True, timeout=30)
        if info.returncode == 0:
            return engine, ""
        return None, f"{engine} ist installiert, aber kein Dienst antwortet ({engine} info)"
    return None, "weder docker noch podman ist installiert"


def test_compose_config_is_accepted_by_docker_compose():
    # `compose config` needs no running engine, only the compose plugin.
    has_compose = shutil.which("docker") and (
        subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    )
    if not has_compose:
        pytest.skip("docker compose config nicht geprüft: kein 'docker compose'; Struktur geprüft")
    result = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
        env={"SITE_HOST": "sozialraum.example.org", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_image_builds():
    engine, reason = _engine()
    if engine is None:
        pytest.skip(f"Image nicht gebaut: {reason}")
    result = subprocess.run(
        [
            engine,
            "build",
            "-f",
            str(DEPLOY / "Containerfile"),
            "-t",
            "sozialraum-weimar:test",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]
