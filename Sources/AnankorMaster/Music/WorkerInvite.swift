import AnankorCore
import DiscordKit

/// OAuth2 links that add a worker bot to a server with the permissions it uses.
enum WorkerInvite {
    /// View Channel, Send Messages, Connect, Speak, Move Members, Manage Channels, Manage Roles.
    static let permissions: Permissions = [
        .viewChannel, .sendMessages, .connect, .speak, .moveMembers, .manageChannels, .manageRoles,
    ]

    static func link(for worker: WorkerID) -> String {
        "https://discord.com/oauth2/authorize?client_id=\(worker)&scope=bot%20applications.commands&permissions=\(permissions.rawValue)"
    }
}
