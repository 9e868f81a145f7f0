"""A local stand-in for PubMed E-utilities, ClinicalTrials.gov API v2 and feeds.

A real HTTP server on 127.0.0.1 that the tests and the demo point the real
client at: same URLs, same response shapes, a simulated clock that reveals and
updates records, injectable faults and a request log. See server.Emulator.
"""

from testkit.emulator.faults import Fault, LoggedRequest
from testkit.emulator.server import Emulator

__all__ = ["Emulator", "Fault", "LoggedRequest"]
