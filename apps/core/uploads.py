"""Uploaded files (scans, documents): checked by content, renamed, scanned for viruses.

One place for every upload: the type is read from the file's first bytes
(a renamed ``.exe`` is still an ``.exe``), the size is limited, the stored
name is neutral (an original name may carry a child's name), and when a
ClamAV daemon is configured (``CLAMD_SOCKET``, or ``CLAMD_HOST`` and
``CLAMD_PORT``) the content is streamed to it first; a hit or an unreachable
scanner refuses the upload (fail closed). Without a configured daemon nothing
is scanned, and the README says so.
"""

import mimetypes
import socket
import struct
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404

# Magic bytes of the formats we accept, and the extensions each may carry.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
EXTENSIONS = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg", "jpeg"}}
ACCEPT = ".pdf,.png,.jpg,.jpeg"
CLAMD_TIMEOUT_SECONDS = 30
CLAMD_CHUNK = 64 * 1024


def sniff(head: bytes) -> str | None:
    """``pdf``, ``png`` or ``jpg`` from the file's first bytes, else None."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


class ScannerUnavailable(Exception):
    """A virus scanner is configured but did not answer."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def clamd_address() -> tuple[int, str | tuple[str, int]] | None:
    """Where clamd listens, from the settings; None when no scanner is configured."""
    if getattr(settings, "CLAMD_SOCKET", ""):
        return socket.AF_UNIX, settings.CLAMD_SOCKET
    host = getattr(settings, "CLAMD_HOST", "")
    if host:
        return socket.AF_INET, (host, int(getattr(settings, "CLAMD_PORT", 3310)))
    return None


def scanning_enabled() -> bool:
    return clamd_address() is not None


def clamd_scan(upload: UploadedFile) -> ScanResult:
    """Stream ``upload`` to clamd (INSTREAM): chunks with a 4-byte length, then a zero length."""
    address = clamd_address()
    if address is None:
        return ScanResult(clean=True)
    family, where = address
    try:
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(CLAMD_TIMEOUT_SECONDS)
            connection.connect(where)
            connection.sendall(b"zINSTREAM\0")
            upload.seek(0)
            for chunk in upload.chunks(CLAMD_CHUNK):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = connection.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    finally:
        upload.seek(0)
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    if text.endswith("FOUND"):
        return ScanResult(clean=False, signature=text.removeprefix("stream:").strip())
    if text.endswith("OK"):
        return ScanResult(clean=True)
    raise ScannerUnavailable(text or "keine Antwort")


def checked_upload(upload: UploadedFile, *, max_bytes: int, prefix: str) -> UploadedFile:
    """The upload, renamed to ``<prefix>-<random>.<type>``, or a German ValidationError."""
    if upload.size is not None and upload.size > max_bytes:
        megabytes = max_bytes // (1024 * 1024)
        raise forms.ValidationError(
            f"Die Datei ist zu groß. Bitte laden Sie höchstens {megabytes} MB hoch "
            "(zum Beispiel als Scan mit geringerer Auflösung)."
        )
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    if kind is None or extension not in EXTENSIONS[kind]:
        raise forms.ValidationError(
            "Die Datei ist keine echte PDF-, PNG- oder JPEG-Datei. "
            "Bitte laden Sie sie in einem dieser Formate hoch."
        )
    try:
        result = clamd_scan(upload)
    except ScannerUnavailable:
        raise forms.ValidationError(
            "Die Virenprüfung ist gerade nicht erreichbar. Die Datei wurde nicht gespeichert; "
            "bitte versuchen Sie es später noch einmal."
        ) from None
    if not result.clean:
        raise forms.ValidationError(
            "Die Virenprüfung hat in der Datei Schadsoftware gefunden. Die Datei wurde nicht "
            "gespeichert."
        )
    upload.name = f"{prefix}-{uuid.uuid4().hex}.{kind}"
    return upload


def download(stored: Any, filename_stem: str, content_type: str | None = None) -> FileResponse:
    """A stored upload as an attachment named ``<filename_stem>.<its extension>``.

    The type is the one the upload was checked as (or ``content_type`` when the
    record keeps it); the browser must not guess another from the content. A
    file missing from storage is 404, never a server error.
    """
    stored_name = stored.name or ""
    extension = stored_name.rsplit(".", 1)[-1].lower()
    if content_type is None:
        content_type = CONTENT_TYPES.get(
            "jpg" if extension == "jpeg" else extension,
            mimetypes.guess_type(stored_name)[0] or "application/octet-stream",
        )
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename_stem}.{extension}" if extension else filename_stem,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
