"""An email backend for tests that run real cluster processes: each message becomes a file.

Files outlive the process that wrote them, so a test can count how often each email was
really handed to "the mail server", across clusters that were killed and restarted.
``MAIL_SINK_DELAY`` seconds of sleep, after a ``sending-<pid>`` marker is written, hold a
send open so a test can kill the cluster in the middle of it.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class FileSinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        folder = Path(os.environ["MAIL_SINK_DIR"])
        delay = float(os.environ.get("MAIL_SINK_DELAY", "0"))
        for message in email_messages:
            if delay:
                (folder / f"sending-{os.getpid()}").write_text(message.subject)
                time.sleep(delay)
            (folder / f"sent-{uuid.uuid4().hex}.txt").write_text(message.subject)
        return len(email_messages)


def sent_subjects(folder: Path) -> list[str]:
    return sorted(path.read_text() for path in folder.glob("sent-*.txt"))
