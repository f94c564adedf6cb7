"""The responder: decides what to do with each classified message and does it.

Secret exposed in public: delete, DM the owner, urgent security ticket, public notice. Phishing,
impersonation or solicitation: alert the moderators (optionally remove). Urgent, security or
complaint: ticket, DM with its number, public reply draft. A question the FAQ answers: a drafted
public answer. Anything else: nothing. Drafts wait for a moderator's approval; the sender keeps
to each platform's budgets; everything is stored and audited. Platforms are reached only through
``core.Outbox`` and ``core.ModeratorChat``.
"""
