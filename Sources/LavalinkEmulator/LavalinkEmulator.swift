/// A faithful local Lavalink v4 node with a virtual clock.
public enum LavalinkEmulatorInfo {}
