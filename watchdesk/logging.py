"""Structured logging: readable in a terminal, JSON lines otherwise.

Message bodies and secrets are never passed to the logger at INFO or above: the pipeline logs
ids, counts and flags only. Third-party HTTP loggers are held at WARNING because some platform
clients put tokens in request URLs (the Telegram Bot API does).
"""

import logging
import sys
from typing import Literal

import structlog

# Loggers that print request URLs (and so tokens) at INFO or DEBUG, and alembic's chatter.
_QUIET = (
    "alembic",
    "httpx",
    "httpcore",
    "telegram",
    "discord",
    "asyncprawcore",
    "tweepy",
    "urllib3",
    "aiohttp",
)


def configure_logging(
    level: str = "INFO", fmt: Literal["auto", "console", "json"] = "auto", *, stream: object = None
) -> None:
    """Set up structlog and the standard library logging once, at start-up.

    Args:
        level: Minimum level name.
        fmt: ``console``, ``json``, or ``auto`` (console when the stream is a terminal).
        stream: Where logs go; standard error by default (standard output carries data).
    """
    out = stream if stream is not None else sys.stderr
    use_console = fmt == "console" or (fmt == "auto" and getattr(out, "isatty", lambda: False)())
    renderer: structlog.types.Processor = (
        structlog.dev.ConsoleRenderer(colors=use_console)
        if use_console
        else structlog.processors.JSONRenderer()
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    handler = logging.StreamHandler(out)  # type: ignore[arg-type]
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=False,
    )
