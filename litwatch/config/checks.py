"""Advice about valid-but-unwise settings, given when it matters (not at load time).

An empty [pubmed] email is fine for the emulator and for commands that never call
NCBI, so it is not an error; but NCBI asks every E-utilities client for a contact
address, so a sync against the live host says so -- once per process, because the
scheduler runs the sync job again every day.
"""

from __future__ import annotations

import sys
from typing import TextIO
from urllib.parse import urlsplit

from litwatch.config.settings import Settings

LIVE_NCBI_HOST = "eutils.ncbi.nlm.nih.gov"
_warned: set[str] = set()


def missing_email_warning(settings: Settings) -> str | None:
    """The warning line, when PubMed is the live NCBI host and no email is set."""
    host = (urlsplit(settings.pubmed.base_url).hostname or "").lower()
    if settings.pubmed.email or host != LIVE_NCBI_HOST:
        return None
    return ("litwatch: warning: no contact email for NCBI: set [pubmed] email in "
            f"{settings.path or 'config.toml'} or LITWATCH_NCBI_EMAIL "
            "(NCBI asks every E-utilities client for one)")


def warn_missing_email(settings: Settings, stream: TextIO | None = None) -> bool:
    """Print the warning once per process; True if it was printed now."""
    message = missing_email_warning(settings)
    if message is None or message in _warned:
        return False
    _warned.add(message)
    print(message, file=stream or sys.stderr, flush=True)
    return True
