"""A plain discord.py 2.7 bot pointed at the Anankor Discord emulator.

Prints one line per milestone (READY, GUILD, SYNCED, ANSWERED) so scripts/checks/discordpy.sh can
follow it. Usage: discordpy_bot.py PORT TOKEN
"""
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
        print(f"READY {self.user.id} guilds={len(self.guilds)}", flush=True)


bot = CheckBot()


@bot.tree.command(name="ping", description="Answers pong with the word you give")
@app_commands.describe(word="What to echo back")
async def ping(interaction: discord.Interaction, word: str) -> None:
    await interaction.response.send_message(f"pong {word} ({interaction.locale.value})")
    print(f"ANSWERED {interaction.id}", flush=True)


bot.run(token, log_handler=None)
