"""A plain discord.py 2.7 bot pointed at the Anankor Discord emulator.

Prints one line per milestone (READY, GUILD, SYNCED, ANSWERED, RESUMED, SAID) so
scripts/checks/discordpy.sh can follow it. Usage: discordpy_bot.py PORT TOKEN
"""
import logging
import sys

import discord
import yarl
from discord import app_commands

port, token = sys.argv[1], sys.argv[2]
# How to point discord.py at another Discord (PROTOCOLS.md §D).
discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")

intents = discord.Intents.default()
intents.voice_states = True


class CheckBot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=intents)
        self.tree = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        synced = await self.tree.sync()
        print(f"SYNCED {','.join(command.name for command in synced)}", flush=True)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        voice = [channel.name for channel in guild.voice_channels]
        print(f"GUILD {guild.id} {guild.name!r} channels={len(guild.channels)} voice={voice}", flush=True)

    async def on_ready(self) -> None:
        print(f"READY {self.user.id} guilds={len(self.guilds)} session={self.ws.session_id}", flush=True)

    async def on_resumed(self) -> None:
        # discord.py resumed its gateway session after the connection dropped.
        print(f"RESUMED session={self.ws.session_id} seq={self.ws.sequence}", flush=True)


bot = CheckBot()


@bot.tree.command(name="ping", description="Answers pong with the word you give")
@app_commands.describe(word="What to echo back")
async def ping(interaction: discord.Interaction, word: str) -> None:
    await interaction.response.send_message(f"pong {word} ({interaction.locale.value})")
    print(f"ANSWERED {interaction.id}", flush=True)


@bot.tree.command(name="say", description="Thinks, posts the text in the channel, then says it did")
@app_commands.describe(text="What to post")
async def say(interaction: discord.Interaction, text: str) -> None:
    # A deferred reply (type 5), a channel message through REST (the check forces a 429 on it,
    # which discord.py must wait out and retry), then the edit of the deferred reply.
    await interaction.response.defer(thinking=True)
    message = await interaction.channel.send(text)
    await interaction.edit_original_response(content=f"said {message.id}")
    print(f"SAID {interaction.id} {message.id}", flush=True)


# discord.py's own warnings (e.g. "… responded with 429. Retrying …") go to the log the check reads.
logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="LOG %(name)s %(message)s")
bot.run(token, log_handler=None)
