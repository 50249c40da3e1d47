import DiscordKit
print("DiscordKit benchmark: not built yet")
