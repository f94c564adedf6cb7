"""Settings of the responder (the ``responder`` section of the settings file)."""

from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlaTarget(_Section):
    """Due times of one ticket priority.

    Attributes:
        first_response: From opening to the first answer a person (or the ticket DM) gives.
        resolution: From opening to resolved.
    """

    first_response: timedelta
    resolution: timedelta


def _default_sla() -> dict[str, SlaTarget]:
    return {
        "urgent": SlaTarget(first_response=timedelta(minutes=15), resolution=timedelta(hours=4)),
        "high": SlaTarget(first_response=timedelta(hours=1), resolution=timedelta(hours=24)),
        "normal": SlaTarget(first_response=timedelta(hours=4), resolution=timedelta(hours=72)),
    }


class Budget(_Section):
    """Outbound budgets of one platform; the sender waits rather than drops.

    Attributes:
        per_chat_per_s: Sustained messages per second into one chat.
        per_chat_burst: Messages one chat may get at once.
        per_group_per_min: Messages per minute into one group chat.
        global_per_s: Messages per second over the whole platform.
        global_burst: Messages sent at once over the whole platform.
        max_attempts: Tries of one outbound call on failure.
        retry_delay_s: First wait between tries; doubles.
    """

    per_chat_per_s: float = Field(default=1.0, gt=0)
    per_chat_burst: int = Field(default=3, ge=1)
    per_group_per_min: float = Field(default=20.0, gt=0)
    global_per_s: float = Field(default=30.0, gt=0)
    global_burst: int = Field(default=30, ge=1)
    max_attempts: int = Field(default=3, ge=1, le=10)
    retry_delay_s: float = Field(default=1.0, ge=0)


def _default_budgets() -> dict[str, Budget]:
    # Discord's per-route buckets come from its own headers in the connector; these are a
    # second, conservative ceiling.
    return {
        "telegram": Budget(),
        "discord": Budget(per_chat_per_s=5 / 5, per_chat_burst=5, global_per_s=50, global_burst=50),
    }


class ResponderConfig(_Section):
    """How the bot answers, opens tickets and acts on leaks and scams.

    Attributes:
        enabled: Run the responder as a pipeline observer in ``watchdesk run``.
        auto_send_faq: Send FAQ answers without approval (only above ``min_confidence``).
        auto_send_platforms: Platforms where ``auto_send_faq`` applies; empty means all.
        min_confidence: Smallest FAQ score that may be auto-sent.
        faq_path: The FAQ knowledge base; ``None`` uses the one shipped with watchdesk.
        faq_min_score: Smallest cosine similarity that counts as an FAQ match at all.
        draft_ttl: A draft nobody decided on within this time expires.
        sla: First-response and resolution targets per priority (urgent, high, normal).
        follow_up_after: A ticket waiting on the user this long gets one reminder DM.
        close_after: A resolved ticket is closed after this long without news.
        budgets: Outbound budgets per platform.
        auto_remove_channels: Per platform, channels where phishing and impersonation posts
            are removed without waiting for a moderator.
        max_edit_length: Longest text a moderator may put in an edited draft.
        survey: Ask for a 1 to 5 rating when a ticket is resolved.
    """

    enabled: bool = False
    auto_send_faq: bool = False
    auto_send_platforms: list[str] = Field(default_factory=list)
    min_confidence: float = Field(default=0.95, ge=0, le=1)
    faq_path: Path | None = None
    faq_min_score: float = Field(default=0.915, ge=0, le=1)
    draft_ttl: timedelta = timedelta(hours=6)
    sla: dict[str, SlaTarget] = Field(default_factory=_default_sla)
    follow_up_after: timedelta = timedelta(hours=24)
    close_after: timedelta = timedelta(days=7)
    budgets: dict[str, Budget] = Field(default_factory=_default_budgets)
    auto_remove_channels: dict[str, list[str]] = Field(default_factory=dict)
    max_edit_length: int = Field(default=2000, ge=20, le=4000)
    survey: bool = True

    def budget(self, platform: str) -> Budget:
        """Return the budget of ``platform`` (the defaults when none is configured)."""
        return self.budgets.get(platform, Budget())

    def sla_for(self, priority: str) -> SlaTarget:
        """Return the SLA of ``priority``, falling back to ``normal``."""
        return self.sla.get(priority) or self.sla.get("normal") or _default_sla()["normal"]
