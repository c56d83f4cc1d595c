"""Uploads: type by content, size, neutral names, and the clamd INSTREAM scan."""

import socket
import struct
import threading

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.uploads import checked_upload, clamd_scan, scanning_enabled

PDF = b"%PDF-1.4\n" + b"0" * 100
EICAR_MARK = b"EICAR"


class FakeClamd:
    """A clamd that answers INSTREAM like the real one; finds "EICAR" in the stream."""

    def __init__(self, path: str) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, connection: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = connection.recv(size - len(data))
            if not part:
                break
            data += part
        return data

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            assert self._read(connection, 10) == b"zINSTREAM\0"
            while True:
                (length,) = struct.unpack("!L", self._read(connection, 4))
                if length == 0:
                    break
                self.received += self._read(connection, length)
            found = EICAR_MARK in self.received
            connection.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    path = str(tmp_path / "clamd.sock")
    fake = FakeClamd(path)
    settings.CLAMD_SOCKET = path
    return fake


def test_without_a_configured_daemon_nothing_is_scanned(settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""

    assert not scanning_enabled()
    assert clamd_scan(SimpleUploadedFile("a.pdf", PDF)).clean


def test_a_clean_upload_passes_the_scanner_and_gets_a_neutral_name(clamd):
    upload = checked_upload(
        SimpleUploadedFile("Befund Jürgen Müller.pdf", PDF), max_bytes=10_000, prefix="dokument"
    )

    assert clamd.received == PDF
    assert upload.name.startswith("dokument-") and upload.name.endswith(".pdf")
    assert "Müller" not in upload.name


def test_a_hit_is_refused(clamd):
    with pytest.raises(forms.ValidationError, match="Schadsoftware"):
        checked_upload(
            SimpleUploadedFile("a.pdf", PDF + EICAR_MARK), max_bytes=10_000, prefix="dokument"
        )


def test_an_unreachable_scanner_refuses_the_upload(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")

    with pytest.raises(forms.ValidationError, match="Virenprüfung ist gerade nicht erreichbar"):
        checked_upload(SimpleUploadedFile("a.pdf", PDF), max_bytes=10_000, prefix="dokument")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programm.pdf", b"MZ\x90\x00 an executable", "keine echte PDF"),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 10, "keine echte PDF"),
        ("gross.pdf", PDF + b"0" * 20_000, "zu groß"),
    ],
)
def test_disguised_or_too_large_files_are_refused(name, content, message):
    with pytest.raises(forms.ValidationError, match=message):
        checked_upload(SimpleUploadedFile(name, content), max_bytes=10_000, prefix="dokument")
