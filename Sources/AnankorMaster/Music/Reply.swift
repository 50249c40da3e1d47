import DiscordKit

/// What a member sees in answer to a command.
struct Reply: Sendable {
    var content: String
    /// Only the member sees it (errors, refusals, lists that concern only them).
    var ephemeral: Bool
    var components: [Component]?

    init(_ content: String, ephemeral: Bool = false, components: [Component]? = nil) {
        self.content = content
        self.ephemeral = ephemeral
        self.components = components
    }

    var message: MessageCreate {
        MessageCreate(content: content, components: components, allowedMentions: AllowedMentions.none,
                      flags: ephemeral ? .ephemeral : nil)
    }
}
