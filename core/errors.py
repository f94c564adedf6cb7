"""Errors shared by every floor of watchdesk."""


class WatchdeskError(Exception):
    """Base class of the errors watchdesk raises on purpose."""


class ConfigError(WatchdeskError):
    """Settings are missing or invalid; the message names the key and the fix."""


class PayloadError(WatchdeskError):
    """An inbound payload cannot be turned into a core type.

    Args:
        reason: What is wrong, in words an operator understands.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
