"""wavelink 3.5 against `anankor emulate lavalink`.

Connects a wavelink Node, loads a `ytsearch:` query, connects a real wavelink.Player through
the same calls discord.py makes when Discord answers a voice join (VOICE_STATE_UPDATE, then
VOICE_SERVER_UPDATE), waits for the node's playerUpdate saying the voice connection is up (as
Lavalink sends when its voice gateway is ready), plays the first result, and waits for TrackStart
and TrackEnd to arrive
through wavelink's own websocket parsing and event dispatch. No Discord connection is needed:
the bot user and the guild's voice-state change are stand-ins, everything Lavalink-facing is
wavelink's real code.

Usage: wavelink_emulator.py URI PASSWORD
"""

import asyncio
import sys
import types

import discord
import wavelink

BOT_ID = 170939974227541168
GUILD_ID = 817327181659111454
CHANNEL_ID = 555000000000000001


class StandInGuild:
    """The guild as wavelink.Player uses it; joining voice answers as Discord would."""

    def __init__(self, guild_id: int) -> None:
        self.id = guild_id
        self.name = "emulated guild"
        self.player: wavelink.Player | None = None

    async def change_voice_state(self, *, channel, self_mute: bool = False, self_deaf: bool = False) -> None:
        player = self.player
        assert player is not None
        if channel is None:
            await player.on_voice_state_update({"guild_id": str(self.id), "channel_id": None, "session_id": "voice-session"})
            return
        # Discord's answer to op 4: the bot's own VOICE_STATE_UPDATE, then VOICE_SERVER_UPDATE.
        await player.on_voice_state_update(
            {"guild_id": str(self.id), "channel_id": str(channel.id), "session_id": "voice-session", "user_id": str(BOT_ID)}
        )
        await player.on_voice_server_update(
            {"guild_id": str(self.id), "token": "voice-token", "endpoint": "eu-west1.discord.media:443"}
        )


class StandInChannel:
    def __init__(self, guild: StandInGuild, channel_id: int) -> None:
        self.guild = guild
        self.id = channel_id
        self.name = "General"
        self.mention = f"<#{channel_id}>"
        self.members: list = []  # nobody listening: wavelink's inactivity logic reads this


async def main(uri: str, password: str) -> int:
    client = discord.Client(intents=discord.Intents.none())
    events: dict[str, asyncio.Future] = {}
    loop = asyncio.get_running_loop()
    for name in ("node_ready", "track_start", "track_end", "voice_ready"):
        events[name] = loop.create_future()
    updates: list = []

    @client.event
    async def on_wavelink_node_ready(payload: wavelink.NodeReadyEventPayload) -> None:
        if not events["node_ready"].done():
            events["node_ready"].set_result(payload)

    @client.event
    async def on_wavelink_player_update(payload: wavelink.PlayerUpdateEventPayload) -> None:
        updates.append(payload)
        if payload.connected and not events["voice_ready"].done():
            events["voice_ready"].set_result(payload)

    @client.event
    async def on_wavelink_track_start(payload: wavelink.TrackStartEventPayload) -> None:
        if not events["track_start"].done():
            events["track_start"].set_result(payload)

    @client.event
    async def on_wavelink_track_end(payload: wavelink.TrackEndEventPayload) -> None:
        if not events["track_end"].done():
            events["track_end"].set_result(payload)

    async with client:
        # Stand-in for the logged-in bot user (wavelink sends its id as User-Id).
        client._connection.user = types.SimpleNamespace(id=BOT_ID, name="anankor-check")
        node = wavelink.Node(uri=uri, password=password, client=client, retries=0)
        await wavelink.Pool.connect(nodes=[node], client=client)
        ready = await asyncio.wait_for(events["node_ready"], 10)
        print(f"node ready: session {ready.session_id}, resumed={ready.resumed}")

        info = await node.fetch_info()
        print(f"lavalink version {info.version.semver}")

        # wavelink adds the `ytsearch:` prefix for TrackSource.YouTube.
        tracks = await wavelink.Playable.search("never gonna give you up", source=wavelink.TrackSource.YouTube)
        assert isinstance(tracks, list) and tracks, f"search returned nothing: {tracks!r}"
        track = tracks[0]
        print(f"search: {len(tracks)} tracks, first {track.title!r} by {track.author} ({track.length} ms)")

        # LavaSrc (the emulator runs with --plugins lavasrc): a Spotify link is a track of source
        # spotify with the album and artist wavelink reads from pluginInfo; an album is a playlist
        # of type album.
        assert any(plugin.name.startswith("lavasrc") for plugin in info.plugins), f"no LavaSrc in {info.plugins!r}"
        spotify = await wavelink.Playable.search("https://open.spotify.com/track/0eG08cBeKk0mzykKjw4hcQ")
        assert isinstance(spotify, list) and len(spotify) == 1, f"Spotify link: {spotify!r}"
        song = spotify[0]
        assert song.source == "spotify" and song.isrc, f"source {song.source!r}, isrc {song.isrc!r}"
        assert song.album.name and song.album.url and song.artist.url and song.is_preview is False, "pluginInfo missing"
        album = await wavelink.Playable.search("https://open.spotify.com/album/7qemUq4n71awwVPOaX7jw4")
        assert isinstance(album, wavelink.Playlist), f"album link: {album!r}"
        assert album.type == "album" and album.url == "https://open.spotify.com/album/7qemUq4n71awwVPOaX7jw4"
        assert album.tracks and all(t.source == "spotify" for t in album.tracks)
        print(f"LavaSrc: {song.title!r} from album {song.album.name!r}; album {album.name!r} with {len(album.tracks)} tracks")

        guild = StandInGuild(GUILD_ID)
        channel = StandInChannel(guild, CHANNEL_ID)
        # Stand-in for discord.py's channel cache (the player looks its channel up there).
        client.get_channel = lambda channel_id: channel if channel_id == CHANNEL_ID else None
        player = wavelink.Player(client, channel)
        guild.player = player
        await player.connect(timeout=10.0, reconnect=False)
        assert player.connected, "player did not connect"
        # A voice connect is complete when the node reports its voice gateway up.
        voice_ready = await asyncio.wait_for(events["voice_ready"], 10)
        assert voice_ready.player is player, "the playerUpdate was not routed to the player"
        assert voice_ready.ping >= 0, f"a connected player reports ping {voice_ready.ping}"
        print(f"voice ready: playerUpdate connected={voice_ready.connected} ping={voice_ready.ping}")

        await player.play(track)
        start = await asyncio.wait_for(events["track_start"], 10)
        assert start.track.encoded == track.encoded, "TrackStart carried another track"
        assert start.player is player, "TrackStart was not routed to the player"
        print(f"TrackStart: {start.track.title!r}")

        end = await asyncio.wait_for(events["track_end"], 20)
        assert end.reason == "finished", f"TrackEnd reason {end.reason!r}"
        assert end.track.encoded == track.encoded
        print(f"TrackEnd: reason={end.reason}")

        fetched = await node.fetch_player_info(GUILD_ID)
        assert fetched is not None, "the player is gone from the node"
        assert fetched.track is None, "the finished track is still on the player"
        assert fetched.voice_state.channel_id == str(CHANNEL_ID), "the node lost the voice channel id"
        print(f"player after TrackEnd: no track, voice channel {fetched.voice_state.channel_id}")
        await player.disconnect()
        await wavelink.Pool.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
