/// A faithful local Discord gateway + REST server with a control API for tests.
public enum DiscordEmulatorInfo {}
