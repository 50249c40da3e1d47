import AnankorCore
import DiscordKit

/// Game-session jobs: plain REST calls as the worker bot.
extension WorkerBot {
    /// Discord's code for moving a member who is not in voice.
    static let targetNotInVoice = 40032

    func postReminder(_ job: ReminderPostJob) async throws {
        try await rest.createMessage(channelID: Snowflake(job.channel.rawValue), MessageCreate(
            content: job.content,
            allowedMentions: AllowedMentions(parse: [], users: job.mentions.map { Snowflake($0.rawValue) })))
    }

    /// Moves each user who is in voice; users not in voice or gone from the guild are skipped.
    func moveMembers(_ job: VoiceMoveJob) async throws {
        try await forEachUser(job.users, skipping: [Self.targetNotInVoice, DiscordRESTError.unknownMember]) { user in
            try await self.rest.moveMember(guildID: Snowflake(job.guild.rawValue), userID: Snowflake(user.rawValue),
                                           to: Snowflake(job.channel.rawValue))
        }
    }

    func changeRole(_ change: RoleChangeJob, add: Bool) async throws {
        let guild = Snowflake<Guild>(change.guild.rawValue)
        let role = Snowflake<Role>(change.role.rawValue)
        try await forEachUser(change.users, skipping: [DiscordRESTError.unknownMember]) { user in
            if add {
                try await self.rest.addMemberRole(guildID: guild, userID: Snowflake(user.rawValue), roleID: role)
            } else {
                try await self.rest.removeMemberRole(guildID: guild, userID: Snowflake(user.rawValue), roleID: role)
            }
        }
    }

    func createTempChannel(_ job: TempChannelCreateJob) async throws {
        let channel = try await rest.createGuildChannel(guildID: Snowflake(job.guild.rawValue), .voice(
            name: job.name, userLimit: max(0, job.userLimit), parentID: job.parent.map { Snowflake($0.rawValue) }))
        await events.publish(.tempChannelCreated(TempChannelCreatedEvent(
            lobby: job.lobby, guild: job.guild, channel: ChannelID(channel.id.rawValue))))
    }

    /// A channel that is gone already counts as deleted.
    func deleteTempChannel(_ job: TempChannelDeleteJob) async throws {
        do {
            try await rest.deleteChannel(channelID: Snowflake(job.channel.rawValue))
        } catch let error as DiscordRESTError where error.code == DiscordRESTError.unknownChannel {
            return
        }
    }

    /// Runs `body` for every user. Discord codes in `skipping` are expected (not an error); a
    /// transient failure is thrown at once (the whole job is retried, the calls are idempotent);
    /// refusals are collected and thrown together after every user was tried.
    private func forEachUser(_ users: [UserID], skipping: Set<Int>,
                             _ body: @Sendable (UserID) async throws -> Void) async throws {
        var refusals: [String] = []
        for user in users {
            do {
                try await body(user)
            } catch let error as DiscordRESTError where error.code.map(skipping.contains) == true {
                continue
            } catch {
                switch JobFailure.classify(error) {
                case .transient(let reason): throw JobFailure.transient(reason)
                case .refused(let reason): refusals.append("user \(user): \(reason)")
                }
            }
        }
        if !refusals.isEmpty { throw JobFailure.refused(refusals.joined(separator: "; ")) }
    }
}
