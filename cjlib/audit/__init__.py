"""Attack the packs' own published output, as an outsider would, to prove nothing is disclosed."""

from cjlib.audit.api import audit_message, audit_output, audit_tables
from cjlib.audit.finding import Finding
from cjlib.audit.reader import read_output
from cjlib.audit.run import ATTACKS, audit_frame

__all__ = [
    "ATTACKS",
    "Finding",
    "audit_frame",
    "audit_message",
    "audit_output",
    "audit_tables",
    "read_output",
]
