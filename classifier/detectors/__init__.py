"""Exact detectors: phishing links, impersonated staff, solicitation of secrets or contact.

Every detector is built once by the composition root and then runs on every message, so
each one precomputes what it compares against and does nothing at import time.
"""

from classifier.detectors.domainlists import (
    Blocklist,
    BlocklistError,
    data_path,
    load_domain_list,
    refresh_blocklist,
)
from classifier.detectors.impersonation import ImpersonationDetector, StaffIdentity
from classifier.detectors.phishing import PhishingDetector, UrlVerdict, VerdictKind
from classifier.detectors.solicitation import SolicitationDetector

__all__ = [
    "Blocklist",
    "BlocklistError",
    "ImpersonationDetector",
    "PhishingDetector",
    "SolicitationDetector",
    "StaffIdentity",
    "UrlVerdict",
    "VerdictKind",
    "data_path",
    "load_domain_list",
    "refresh_blocklist",
]
