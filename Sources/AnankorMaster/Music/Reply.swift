import DiscordKit

/// What a member sees in answer to a command.
struct Reply: Sendable {
    var content: String
    /// Only the member sees it (errors, refusals, lists that concern only them).
    var ephemeral: Bool
    var components: [Component]?
    /// Another master has already answered the member (it saw the job's acknowledgement and used
    /// the handle kept with the job): nothing more is sent.
    private(set) var answeredElsewhere = false

    init(_ content: String, ephemeral: Bool = false, components: [Component]? = nil) {
        self.content = content
        self.ephemeral = ephemeral
        self.components = components
    }

    static var answeredElsewhere: Reply {
        var reply = Reply("")
        reply.answeredElsewhere = true
        return reply
    }

    var message: MessageCreate {
        MessageCreate(content: content, components: components, allowedMentions: AllowedMentions.none,
                      flags: ephemeral ? .ephemeral : nil)
    }
}
