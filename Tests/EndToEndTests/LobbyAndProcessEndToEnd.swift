import AnankorTestSupport
import Testing

/// The end-to-end suites outside music (lobbies, reminders, `anankor` processes, shutdown): one
/// at a time among themselves, like `EndToEnd`, but beside it. Two stages at once keep both cores
/// of a small machine busy while each mostly waits on its emulators, and the whole run ends sooner.
/// Its own moto_server, so neither lane waits on the other's.
@Suite("End to end: lobbies and processes", .motoServer, .serialized) struct LobbyAndProcessEndToEnd {}
