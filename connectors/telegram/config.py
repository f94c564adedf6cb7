"""Settings of the Telegram connector (the ``telegram`` section of the settings file)."""

from pydantic import BaseModel, ConfigDict, Field, SecretStr

TOKEN_ENV = "WATCHDESK_TELEGRAM__TOKEN"  # noqa: S105 - a variable name, not a secret
"""The only place the bot token may come from."""


class Config(BaseModel):
    """How watchdesk talks to the Telegram Bot API.

    Attributes:
        enabled: Start this connector with ``watchdesk run``.
        base_url: Bot API endpoint; the token is appended (or inserted at ``{token}``). Point it
            at a local Bot API server or a test fake.
        base_file_url: File download endpoint, built the same way.
        chats: Group and supergroup ids to watch; empty watches every chat the bot is in.
            Direct messages to the bot are always received.
        staff_ids: User ids of the brand's staff (their messages are marked ``is_staff``).
        mod_chat_id: The moderators' chat, for the responder's flags and approvals.
        poll_timeout: Seconds one ``getUpdates`` long poll may wait for news.
        request_timeout: Read timeout of every other call, in seconds.
        token: Bot token; read only from ``WATCHDESK_TELEGRAM__TOKEN``, never from a file.
        backoff_base: First delay after a failure, in seconds; doubles with each failure.
        backoff_max: Longest delay between two attempts, in seconds.
        max_attempts: Tries of one outbound call before it is reported as failed.
        max_retry_after: Longest flood-control wait an outbound call accepts; a longer
            ``retry_after`` returns ``rate_limited`` at once so the caller can schedule it.
        max_message_parts: A text longer than 4096 characters is sent as up to this many
            messages, split at paragraph, then line, then word boundaries; a longer one is
            refused with ``too_long`` (never cut).
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    chats: list[int] = Field(default_factory=list)
    staff_ids: list[int] = Field(default_factory=list)
    mod_chat_id: int | None = None
    poll_timeout: int = Field(default=30, ge=0, le=50)
    request_timeout: float = Field(default=10.0, gt=0)
    token: SecretStr | None = None
    backoff_base: float = Field(default=1.0, gt=0)
    backoff_max: float = Field(default=60.0, gt=0)
    max_attempts: int = Field(default=4, ge=1, le=20)
    max_retry_after: float = Field(default=60.0, ge=0)
    max_message_parts: int = Field(default=4, ge=1, le=20)
