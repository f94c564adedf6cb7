"""Channel directory and watch list, from gateway payloads."""

from discord_testkit import FORUM, FORUM_POST, GENERAL, GUILD, SUPPORT, THREAD, nova_guild
from fake_discord_world import thread, user

from connectors.discord.directory import Directory, WatchList
from connectors.discord.translate import ChannelInfo
from core import ChannelKind

BOT = user("1100000000000000001", "watchdesk", bot=True)


def directory() -> Directory:
    d = Directory()
    d.apply("GUILD_CREATE", nova_guild(BOT).create_payload())
    return d


def test_guild_create_fills_channels_threads_and_names() -> None:
    d = directory()
    assert d.get(SUPPORT) == ChannelInfo(
        id=SUPPORT, kind=ChannelKind.GROUP, name="support", guild_id=GUILD
    )
    post = d.get(FORUM_POST)
    assert post is not None
    assert post.kind is ChannelKind.THREAD
    assert post.parent_id == FORUM
    assert d.get(FORUM) is None  # a forum holds posts (threads), not messages
    assert d.guild_name(GUILD) == "NovaWallet"
    assert d.is_guild(GUILD)
    assert {c.id for c in d.channels(GUILD)} == {SUPPORT, GENERAL, THREAD, FORUM_POST}


def test_threads_and_channels_come_and_go() -> None:
    d = directory()
    d.apply("THREAD_CREATE", thread("1200000000000000030", "New post", FORUM, GUILD, "1"))
    assert d.get("1200000000000000030").parent_id == FORUM
    d.apply(
        "THREAD_DELETE",
        {"id": "1200000000000000030", "guild_id": GUILD, "parent_id": FORUM, "type": 11},
    )
    assert d.get("1200000000000000030") is None
    d.apply("CHANNEL_UPDATE", {"id": GENERAL, "type": 0, "guild_id": GUILD, "name": "lobby"})
    assert d.get(GENERAL).name == "lobby"
    d.apply("GUILD_DELETE", {"id": GUILD, "unavailable": True})  # outage: keep
    assert d.get(SUPPORT) is not None
    d.apply("GUILD_DELETE", {"id": GUILD})  # removed from the server
    assert d.get(SUPPORT) is None
    assert not d.is_guild(GUILD)


def test_unknown_channels_are_guessed_and_dms_remembered() -> None:
    d = Directory()
    assert d.resolve("5", {"guild_id": GUILD}).kind is ChannelKind.GROUP
    assert d.resolve("6", {"guild_id": GUILD, "position": 1}).kind is ChannelKind.THREAD
    dm = d.resolve("7", {})
    assert dm.kind is ChannelKind.DM
    assert d.get("7") == dm


def test_renames_are_tracked() -> None:
    d = directory()
    alice = {"user": {"id": "1400000000000000001", "username": "alice", "global_name": "Alice"}}
    assert d.rename(GUILD, alice) == (False, "Alice")
    assert d.rename(GUILD, {**alice, "nick": "Support"}) == (True, "Alice")
    assert d.rename(GUILD, {"user": {"id": "9", "username": "new"}}) == (True, None)


def test_watch_list() -> None:
    everything = WatchList()
    support = ChannelInfo(id=SUPPORT, kind=ChannelKind.GROUP, guild_id=GUILD)
    in_thread = ChannelInfo(id=THREAD, kind=ChannelKind.THREAD, guild_id=GUILD, parent_id=SUPPORT)
    other = ChannelInfo(id="9", kind=ChannelKind.GROUP, guild_id="8")
    dm = ChannelInfo(id="7", kind=ChannelKind.DM)
    assert all(everything.refusal(c) is None for c in (support, in_thread, other, dm))
    narrow = WatchList(guilds=frozenset({GUILD}), channels=frozenset({SUPPORT}))
    assert narrow.refusal(support) is None
    assert narrow.refusal(in_thread) is None
    assert narrow.refusal(other) == "ignored_guild"
    assert (
        narrow.refusal(ChannelInfo(id=GENERAL, kind=ChannelKind.GROUP, guild_id=GUILD))
        == "ignored_channel"
    )
    assert narrow.refusal(dm) is None  # DMs to the bot are always watched
