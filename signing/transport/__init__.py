"""Report pipes: hidapi, Unix datagram socket (emulator) and in-memory (tests).

Each pipe moves 64-byte reports and nothing else; see ``signing.transport.base``.
"""

from signing.transport.base import REPORT_SIZE, ReportPipe

__all__ = ["REPORT_SIZE", "ReportPipe"]
