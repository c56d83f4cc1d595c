"""Anchoring the hash chain outside the database: signed checkpoints.

The chain alone shows an edited or removed entry in the middle, but not a log
cut short at the end, nor one whose hashes were all recomputed after an edit
(someone with the owner's rights could do that). A checkpoint notes the
newest entry's number and hash, signed with ``settings.ACCESS_LOG_KEY`` (a key
from the environment or a key file that the database never sees), and goes
to three places: the table ``AccessLogCheckpoint`` (for the routine check),
the logger ``audit.checkpoint`` (the system journal or syslog, which the
application cannot rewrite) and, if configured, an e-mail to the data
protection officer. ``verify_access_log`` then checks that the entry named by
the latest checkpoint still exists with that hash.
"""

import datetime
import hashlib
import hmac
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from apps.audit.models import GENESIS_HASH, AccessLogCheckpoint, AccessLogEntry

logger = logging.getLogger("audit.checkpoint")

PREFIX = "Zugriffsprotokoll-Prüfpunkt v1"
LINE = re.compile(
    rf"{PREFIX} seq=(?P<seq>\d+) hash=(?P<hash>[0-9a-f]{{64}}) "
    r"at=(?P<at>\S+) mac=(?P<mac>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime.datetime
    mac: str = ""

    def _message(self) -> bytes:
        at = self.at.astimezone(datetime.UTC).isoformat()
        return f"v1|{self.seq}|{self.hash}|{at}".encode()

    def signed(self) -> "Checkpoint":
        return Checkpoint(self.seq, self.hash, self.at, _mac(self._message()))

    def signature_holds(self) -> bool:
        return hmac.compare_digest(self.mac, _mac(self._message()))

    def line(self) -> str:
        at = self.at.astimezone(datetime.UTC).isoformat()
        return f"{PREFIX} seq={self.seq} hash={self.hash} at={at} mac={self.mac}"

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        """A checkpoint from its line (as found in the journal or the e-mail)."""
        match = LINE.search(text)
        if match is None:
            raise ValueError("Das ist keine Prüfpunkt-Zeile des Zugriffsprotokolls.")
        at = datetime.datetime.fromisoformat(match["at"])
        return cls(int(match["seq"]), match["hash"], at, match["mac"])


def _mac(message: bytes) -> str:
    return hmac.new(settings.ACCESS_LOG_KEY.encode(), message, hashlib.sha256).hexdigest()


def write_checkpoint() -> Checkpoint:
    """Sign the chain's current head and write it to all three places."""
    head = AccessLogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, head_hash = head if head is not None else (0, GENESIS_HASH)
    checkpoint = Checkpoint(seq, head_hash, timezone.now()).signed()
    AccessLogCheckpoint.objects.create(
        seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at, mac=checkpoint.mac
    )
    logger.warning(checkpoint.line())
    if settings.ACCESS_LOG_CHECKPOINT_EMAILS:
        try:
            send_mail(
                "Prüfpunkt des Zugriffsprotokolls",
                "Bitte diese Nachricht aufbewahren. Mit der folgenden Zeile lässt sich später "
                "zeigen, dass das Zugriffsprotokoll bis zu diesem Eintrag weder gekürzt noch "
                "neu berechnet wurde (manage.py verify_access_log --checkpoint '…'):\n\n"
                f"{checkpoint.line()}\n",
                None,
                settings.ACCESS_LOG_CHECKPOINT_EMAILS,
            )
        except OSError:
            # The journal and the table have it; a mail relay being down must not stop that.
            logger.exception("Prüfpunkt konnte nicht per E-Mail verschickt werden")
    return checkpoint


def latest_stored() -> Checkpoint | None:
    row = AccessLogCheckpoint.objects.order_by("-at", "-id").first()
    if row is None:
        return None
    return Checkpoint(row.seq, row.hash, row.at, row.mac)


def problems(checkpoints: Iterable[Checkpoint]) -> list[str]:
    """What the log contradicts in the given checkpoints; empty if it holds to all of them."""
    found: list[str] = []
    checkpoints = list(checkpoints)
    stored = dict(
        AccessLogEntry.objects.filter(seq__in={c.seq for c in checkpoints}).values_list(
            "seq", "hash"
        )
    )
    for checkpoint in checkpoints:
        when = timezone.localtime(checkpoint.at).strftime("%d.%m.%Y %H:%M")
        if not checkpoint.signature_holds():
            found.append(
                f"Prüfpunkt vom {when} (Eintrag {checkpoint.seq}): Signatur ungültig, "
                "der Prüfpunkt ist gefälscht oder mit einem anderen Schlüssel signiert."
            )
        elif checkpoint.seq == 0:
            continue
        elif checkpoint.seq not in stored:
            found.append(
                f"Eintrag {checkpoint.seq} fehlt, den der Prüfpunkt vom {when} bestätigt: "
                "das Protokoll wurde gekürzt."
            )
        elif stored[checkpoint.seq] != checkpoint.hash:
            found.append(
                f"Eintrag {checkpoint.seq} hat nicht mehr den Hash aus dem Prüfpunkt vom {when}: "
                "das Protokoll wurde verändert und neu verkettet."
            )
    return found
