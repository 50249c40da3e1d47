"""A plain Discord music bot in Python: the benchmarks' reference peer.

discord.py 2.7 + wavelink 3.5, written the way a self-hoster's bot is usually written: one bot
token, one wavelink.Player per guild (discord.py's VoiceProtocol), wavelink's queue with
AutoPlayMode.partial so the next queued track starts when one ends, and the slash commands
registered with the same names, option names and option types as Anankor's (CommandSpec.swift),
so a benchmark can send both bots identical interaction payloads.

    python3 benchmarks/peers/music_bot.py --discord-url http://127.0.0.1:P --token T \
        --lavalink-uri http://127.0.0.1:L --lavalink-password X

Every flag can also come from the environment (PEER_DISCORD_URL, PEER_TOKEN, PEER_LAVALINK_URI,
PEER_LAVALINK_PASSWORD, …). `--discord-url` points discord.py at another Discord (the emulator);
leave it out to talk to discord.com. The bot prints exactly one line `PEER READY` once the
gateway is ready (discord.py's on_ready) and the wavelink node is connected.

See docs/performance-peer.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
from typing import Optional

import discord
import wavelink
import yarl
from discord import app_commands

log = logging.getLogger("peer")

QUEUE_PAGE_SIZE = 10


# MARK: helpers


def search_identifier(query: str) -> str:
    """What Lavalink loads for a /play query: links and `…search:` identifiers as they are, plain
    words as a YouTube search (the same rule as Anankor's TrackResolver)."""
    text = query.strip()
    if text.startswith(("http://", "https://")):
        return text
    prefix, colon, _ = text.partition(":")
    if colon and prefix.endswith("search"):
        return text
    return f"ytsearch:{text}"


def format_time(milliseconds: Optional[int]) -> str:
    """`m:ss` below an hour, `h:mm:ss` above, `LIVE` for streams."""
    if milliseconds is None:
        return "LIVE"
    total = max(0, int(milliseconds)) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def track_length(track: wavelink.Playable) -> str:
    return "LIVE" if track.is_stream else format_time(track.length)


_UNITS = re.compile(r"(\d{1,6})([hms])")


def parse_position(text: str) -> Optional[int]:
    """A position typed by a member, in milliseconds: `1:30`, `1:02:03`, `90`, `90s`, `1m30s`.
    None for anything unreadable, negative, or beyond 24 hours."""
    value = text.strip().lower()
    if not value or len(value) > 16:
        return None
    seconds: Optional[int] = None
    if ":" in value:
        parts = value.split(":")
        if len(parts) in (2, 3) and all(p.isdigit() for p in parts) and all(len(p) <= 2 for p in parts[1:]):
            if all(int(p) <= 59 for p in parts[1:]):
                seconds = 0
                for part in parts:
                    seconds = seconds * 60 + int(part)
    elif value.isdigit():
        seconds = int(value)
    else:
        compact = value.replace(" ", "")
        if re.fullmatch(r"(?:\d{1,6}[hms])+", compact):
            seconds = sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in _UNITS.findall(compact))
    if seconds is None or seconds > 86_400:
        return None
    return seconds * 1000


class MusicPlayer(wavelink.Player):
    """wavelink's Player plus where to talk: the text channel of the /play that started it and the
    now-playing message posted there (edited in place on every track start)."""

    home: Optional[discord.abc.Messageable] = None
    now_playing_message: Optional[discord.Message] = None


# MARK: the bot


class MusicBot(discord.Client):
    def __init__(self, options: argparse.Namespace) -> None:
        intents = discord.Intents.default()  # guilds + voice_states are what a music bot needs
        intents.message_content = False
        intents.members = False
        intents.presences = False
        kwargs = {}
        if options.guild_ready_timeout is not None:
            kwargs["guild_ready_timeout"] = options.guild_ready_timeout
        super().__init__(intents=intents, **kwargs)
        self.options = options
        self.tree = app_commands.CommandTree(self)
        self.gateway_ready = asyncio.Event()
        self.node_ready = asyncio.Event()
        self.connect_locks: dict[int, asyncio.Lock] = {}
        self._announced = False

    async def setup_hook(self) -> None:
        synced = await self.tree.sync()
        log.info("synced %d commands: %s", len(synced), ", ".join(c.name for c in synced))
        node = wavelink.Node(
            identifier="main", uri=self.options.lavalink_uri, password=self.options.lavalink_password
        )
        await wavelink.Pool.connect(nodes=[node], client=self, cache_capacity=None)
        self._ready_task = asyncio.create_task(self._announce_when_ready())

    async def _announce_when_ready(self) -> None:
        await self.gateway_ready.wait()
        await self.node_ready.wait()
        if not self._announced:
            self._announced = True
            print("PEER READY", flush=True)

    async def on_ready(self) -> None:
        log.info("gateway ready as %s in %d guilds", self.user, len(self.guilds))
        self.gateway_ready.set()

    async def on_wavelink_node_ready(self, payload: wavelink.NodeReadyEventPayload) -> None:
        log.info("lavalink node %s ready (session %s, resumed %s)", payload.node.identifier, payload.session_id,
                 payload.resumed)
        self.node_ready.set()

    async def on_wavelink_track_start(self, payload: wavelink.TrackStartEventPayload) -> None:
        player = payload.player
        if not isinstance(player, MusicPlayer) or player.home is None or not self.options.now_playing:
            return
        track = payload.track
        text = f"🎶 Now playing **{track.title}** — {track.author} `{track_length(track)}`"
        try:
            if player.now_playing_message is not None:
                await player.now_playing_message.edit(content=text)
            else:
                player.now_playing_message = await player.home.send(text)
        except discord.HTTPException as error:
            log.warning("could not post the now-playing message: %s", error)
            player.now_playing_message = None

    async def on_wavelink_inactive_player(self, player: wavelink.Player) -> None:
        # Nothing played for the node's inactive_player_timeout (or nobody listened): leave.
        await player.disconnect()

    def connect_lock(self, guild_id: int) -> asyncio.Lock:
        lock = self.connect_locks.get(guild_id)
        if lock is None:
            lock = self.connect_locks[guild_id] = asyncio.Lock()
        return lock


# MARK: commands


class Refusal(Exception):
    """A command the member cannot use right now; answered ephemerally."""


def member_voice_channel(interaction: discord.Interaction) -> Optional[discord.abc.GuildChannel]:
    member = interaction.user
    if isinstance(member, discord.Member) and member.voice is not None:
        return member.voice.channel
    return None


def controlled_player(interaction: discord.Interaction, command: str) -> MusicPlayer:
    """The guild's player, when the member is in its channel and something is loaded."""
    channel = member_voice_channel(interaction)
    if channel is None:
        raise Refusal(f"Join a voice channel first, then use /{command} again.")
    player = interaction.guild.voice_client if interaction.guild else None
    if not isinstance(player, MusicPlayer) or player.current is None:
        raise Refusal("Nothing is playing right now.")
    if player.channel is not None and player.channel.id != channel.id:
        raise Refusal(f"Join {player.channel.mention} to control the music playing there.")
    return player


async def answer(interaction: discord.Interaction, text: str, *, ephemeral: bool = False) -> None:
    if interaction.response.is_done():
        await interaction.edit_original_response(content=text)
    else:
        await interaction.response.send_message(text, ephemeral=ephemeral)


def register_commands(bot: MusicBot) -> None:
    tree = bot.tree

    @tree.command(name="play", description="Play a song, playlist or search in your voice channel")
    @app_commands.guild_only()
    @app_commands.rename(next_="next")
    @app_commands.describe(query="A link, or words to search for", next_="Put it at the front of the queue")
    async def play(
        interaction: discord.Interaction, query: app_commands.Range[str, None, 500], next_: Optional[bool] = None
    ) -> None:
        channel = member_voice_channel(interaction)
        if channel is None:
            raise Refusal("Join a voice channel first, then use /play again.")
        guild = interaction.guild
        existing = guild.voice_client
        if isinstance(existing, MusicPlayer) and existing.channel is not None and existing.channel.id != channel.id:
            raise Refusal(f"I'm already playing in {existing.channel.mention}; join it to add music.")

        # Searching and joining voice take longer than Discord's 3 s may allow: acknowledge first.
        await interaction.response.defer(thinking=True)

        try:
            found = await wavelink.Playable.search(search_identifier(query), source=None)
        except wavelink.LavalinkLoadException as error:
            await answer(interaction, f"That track could not be loaded: {error.error}")
            return
        if not found:
            await answer(interaction, f"Nothing found for `{query[:100]}`.")
            return
        if isinstance(found, wavelink.Playlist):
            tracks = list(found.tracks)
            playlist_name: Optional[str] = found.name
        else:
            tracks = [found[0]]
            playlist_name = None

        async with bot.connect_lock(guild.id):
            player = guild.voice_client
            if not isinstance(player, MusicPlayer):
                player = await channel.connect(cls=MusicPlayer, self_deaf=True)
                player.autoplay = wavelink.AutoPlayMode.partial
                player.home = interaction.channel
        if player.home is None:
            player.home = interaction.channel

        if next_:
            for track in reversed(tracks):
                player.queue.put_at(0, track)
        else:
            player.queue.put(tracks)
        position = 1 if next_ else len(player.queue)

        if not player.playing:
            await player.play(player.queue.get())
            position = 0

        if playlist_name is not None:
            await answer(interaction, f"Queued {len(tracks)} tracks from **{playlist_name}**.")
        elif position == 0:
            track = tracks[0]
            await answer(interaction, f"Playing **{track.title}** ({track_length(track)}).")
        else:
            track = tracks[0]
            await answer(interaction, f"Queued **{track.title}** ({track_length(track)}) at position {position}.")

    @play.autocomplete("query")
    async def play_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if len(current) < 2:
            return []
        try:
            found = await wavelink.Playable.search(search_identifier(current), source=None)
        except wavelink.LavalinkLoadException:
            return []
        tracks = found.tracks if isinstance(found, wavelink.Playlist) else found
        choices = []
        for track in tracks[:5]:
            if track.uri and len(track.uri) <= 100:
                choices.append(app_commands.Choice(name=f"{track.title} — {track.author}"[:100], value=track.uri))
        return choices

    @tree.command(name="skip", description="Skip the current song")
    @app_commands.guild_only()
    @app_commands.describe(to="Skip ahead to this queue position")
    async def skip(interaction: discord.Interaction, to: Optional[app_commands.Range[int, 1, 10_000]] = None) -> None:
        player = controlled_player(interaction, "skip")
        if to is not None and to > 1:
            if to > len(player.queue):
                raise Refusal(f"There is no track at position {to}; the queue has {len(player.queue)}.")
            for _ in range(to - 1):
                player.queue.delete(0)
        skipped = await player.skip(force=True)  # the TrackEnd starts the next queued track
        await answer(interaction, f"Skipped **{skipped.title if skipped else 'the track'}**.")

    @tree.command(name="pause", description="Pause the music")
    @app_commands.guild_only()
    async def pause(interaction: discord.Interaction) -> None:
        player = controlled_player(interaction, "pause")
        await player.pause(True)
        await answer(interaction, "Paused.")

    @tree.command(name="resume", description="Resume the music")
    @app_commands.guild_only()
    async def resume(interaction: discord.Interaction) -> None:
        player = controlled_player(interaction, "resume")
        await player.pause(False)
        await answer(interaction, "Resumed.")

    @tree.command(name="stop", description="Stop the music and clear the queue")
    @app_commands.guild_only()
    async def stop(interaction: discord.Interaction) -> None:
        player = controlled_player(interaction, "stop")
        player.queue.clear()
        await player.stop(force=True)
        await answer(interaction, "Stopped and cleared the queue.")

    @tree.command(name="queue", description="Show the queue")
    @app_commands.guild_only()
    @app_commands.describe(page="Which page of the queue")
    async def queue(interaction: discord.Interaction, page: Optional[app_commands.Range[int, 1, 1_000]] = None) -> None:
        if member_voice_channel(interaction) is None:
            raise Refusal("Join a voice channel first, then use /queue again.")
        player = interaction.guild.voice_client
        if not isinstance(player, MusicPlayer) or (player.current is None and not player.queue):
            raise Refusal("The queue is empty.")
        total = len(player.queue)
        pages = max(1, -(-total // QUEUE_PAGE_SIZE))
        page_number = min(page or 1, pages)
        offset = (page_number - 1) * QUEUE_PAGE_SIZE
        lines = []
        if player.current is not None:
            lines.append(f"▶️ **{player.current.title}** — {player.current.author}")
        lines.append(f"Queue — page {page_number} of {pages} ({total} tracks):")
        for index, track in enumerate(list(player.queue)[offset:offset + QUEUE_PAGE_SIZE], start=offset + 1):
            lines.append(f"{index}. {track.title} — {track.author} `{track_length(track)}`")
        await answer(interaction, "\n".join(lines)[:2000], ephemeral=True)

    @tree.command(name="nowplaying", description="Show the song that is playing")
    @app_commands.guild_only()
    async def nowplaying(interaction: discord.Interaction) -> None:
        if member_voice_channel(interaction) is None:
            raise Refusal("Join a voice channel first, then use /nowplaying again.")
        player = interaction.guild.voice_client
        if not isinstance(player, MusicPlayer) or player.current is None:
            raise Refusal("Nothing is playing right now.")
        track = player.current
        icon = "⏸️" if player.paused else "▶️"
        await answer(
            interaction,
            f"{icon} **{track.title}** — {track.author} `{format_time(player.position)} / {track_length(track)}`",
            ephemeral=True,
        )

    @tree.command(name="seek", description="Jump to a time in the current song")
    @app_commands.guild_only()
    @app_commands.describe(position="A time such as 1:30 or 90s")
    async def seek(interaction: discord.Interaction, position: app_commands.Range[str, None, 16]) -> None:
        player = controlled_player(interaction, "seek")
        track = player.current
        target = parse_position(position)
        if target is None or track.is_stream or not track.is_seekable or target > track.length:
            raise Refusal(f"Cannot seek to `{position[:16]}`: the track is {track_length(track)} long.")
        await player.seek(target)
        await answer(interaction, f"Jumped to {format_time(target)}.")

    @tree.command(name="volume", description="Set the volume")
    @app_commands.guild_only()
    @app_commands.describe(level="Volume in percent, 0 to 200")
    async def volume(interaction: discord.Interaction, level: app_commands.Range[int, 0, 200]) -> None:
        player = controlled_player(interaction, "volume")
        await player.set_volume(level)
        await answer(interaction, f"Volume set to {level}%.")

    @tree.error
    async def on_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, Refusal):
            text = str(cause)
        else:
            log.exception("/%s failed", interaction.command.name if interaction.command else "?", exc_info=cause)
            text = "Something went wrong, try again."
        try:
            await answer(interaction, text, ephemeral=True)
        except discord.HTTPException as failure:
            log.warning("could not answer interaction %s: %s", interaction.id, failure)


# MARK: main


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description="Reference Python music bot (discord.py + wavelink).")
    parser.add_argument("--discord-url", default=env("PEER_DISCORD_URL"),
                        help="base URL of a Discord emulator, e.g. http://127.0.0.1:8090 (default: discord.com)")
    parser.add_argument("--token", default=env("PEER_TOKEN"), help="the bot token")
    parser.add_argument("--lavalink-uri", default=env("PEER_LAVALINK_URI", "http://127.0.0.1:2333"))
    parser.add_argument("--lavalink-password", default=env("PEER_LAVALINK_PASSWORD", "youshallnotpass"))
    parser.add_argument("--no-now-playing", dest="now_playing", action="store_false",
                        default=env("PEER_NOW_PLAYING", "1") not in ("0", "false", "no"),
                        help="do not post/edit a now-playing message in the text channel on track start")
    parser.add_argument("--guild-ready-timeout", type=float,
                        default=float(env("PEER_GUILD_READY_TIMEOUT")) if env("PEER_GUILD_READY_TIMEOUT") else None,
                        help="discord.py's guild_ready_timeout (its default: 2 s after the last GUILD_CREATE)")
    parser.add_argument("--log-level", default=env("PEER_LOG_LEVEL", "WARNING"))
    options = parser.parse_args(argv)
    if not options.token:
        parser.error("--token (or PEER_TOKEN) is required")
    return options


def point_at(discord_url: str) -> None:
    """Point discord.py's REST and gateway at another Discord (the emulator)."""
    base = yarl.URL(discord_url.rstrip("/"))
    discord.http.Route.BASE = str(base / "api" / "v10")
    scheme = "wss" if base.scheme == "https" else "ws"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base.with_scheme(scheme).with_path("/")


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    if options.discord_url:
        point_at(options.discord_url)
    discord.utils.setup_logging(level=getattr(logging, options.log_level.upper(), logging.WARNING))
    bot = MusicBot(options)
    register_commands(bot)
    bot.run(options.token, log_handler=None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
