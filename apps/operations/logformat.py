"""JSON log lines for production (one object per line, for journald or a log stack).

Only the fields listed here leave the process: a record's ``extra`` is
copied when its key is known. Exception texts can quote data, so a traceback
is logged as frames and exception classes only.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

from apps.operations.retry import scrub_traceback

EXTRA_FIELDS = ("view", "method", "status", "duration_ms", "queries", "user_id", "job", "count")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in EXTRA_FIELDS:
            if key in record.__dict__:
                line[key] = record.__dict__[key]
        if record.exc_info:
            line["error"] = scrub_traceback(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)
