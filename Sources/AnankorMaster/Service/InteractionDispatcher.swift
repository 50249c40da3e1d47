import AnankorCore
import AnankorTelemetry
import DiscordKit
import Foundation
import Logging
import Synchronization
import Tracing

/// Turns interactions and text commands into invocations, runs each exactly once (ledger
/// idempotency on the interaction or message id, so several masters and redeliveries answer
/// once), and answers within Discord's 3 seconds: slow commands are deferred first.
struct InteractionDispatcher: Sendable {
    let context: MasterContext
    let music: MusicCommands
    let games: GameCommands
    /// The master's application id: interaction webhooks are addressed with it.
    let applicationID: Snowflake<Application>

    // MARK: Interactions

    /// Whether the interaction in hand was acknowledged ("thinking…") while it waited for a turn
    /// (`InteractionAdmission`): its answer then replaces the acknowledgement.
    @TaskLocal static var acknowledgedWhileWaiting = false

    func handle(_ interaction: Interaction, admission: InteractionAdmission? = nil) async {
        // The root of the trace a command makes: the jobs it sends and the worker's work on them
        // are its descendants (docs/operations.md, "Reading a trace").
        defer { context.progress.interactionSettled() }
        let ticket = admission?.arrive() ?? .run
        var holdsTurn = ticket == .run
        defer { if holdsTurn { admission?.leave() } }
        if ticket != .run, interaction.type == .autocomplete {
            // Suggestions are worth nothing late: none now, and no turn taken.
            if ticket == .wait { admission?.withdraw() }
            _ = try? await context.rest.createInteractionResponse(interactionID: interaction.id, token: interaction.token,
                                                                  .autocompleteResult([]))
            return
        }
        if ticket == .refuse {
            MasterMetrics.command("other", outcome: "busy", seconds: 0)
            await respond(interaction, Reply(context.text(.masterBusy, locale(of: interaction)), ephemeral: true))
            return
        }
        await withSpan("interaction", ofKind: .server) { span in
            span.attributes[SpanAttributeName.guild] = interaction.guildID?.description
            guard let key = IdempotencyKey.interaction(interaction.id.description) else {
                if ticket == .wait { admission?.withdraw() }
                return
            }
            let token: ClaimToken
            switch await claim(key) {
            case .claimed(let claimed):
                context.logger.debug("interaction claimed", metadata: ["interaction.id": "\(interaction.id)"])
                token = claimed
            case .duplicate:
                if ticket == .wait { admission?.withdraw() }
                MasterMetrics.duplicateInteraction()
                context.logger.debug("interaction claimed elsewhere", metadata: ["interaction.id": "\(interaction.id)"])
                span.attributes[SpanAttributeName.outcome] = "duplicate"
                return
            case .unavailable:
                if ticket == .wait { admission?.withdraw() }
                // Nobody can tell whether another master has it; an answer now beats Discord's "did
                // not respond" (a second master's answer is refused by Discord as already given).
                await respond(interaction, Reply(context.text(.musicBrieflyUnavailable, locale(of: interaction)), ephemeral: true))
                MasterMetrics.command("other", outcome: "unavailable", seconds: 0)
                span.attributes[SpanAttributeName.outcome] = "unavailable"
                return
            }
            if ticket == .wait {
                // Claimed first, so an acknowledgement never takes the answer from another master.
                await acknowledge(interaction)
                guard await admission?.turn() == true else {
                    span.attributes[SpanAttributeName.outcome] = "cancelled"
                    return
                }
                holdsTurn = true
            }
            let started = ContinuousClock.now
            let outcome = await Self.$acknowledgedWhileWaiting.withValue(ticket == .wait) { await answer(interaction) }
            let elapsed = ContinuousClock.now - started
            MasterMetrics.command(outcome.name, outcome: outcome.result,
                                  seconds: elapsed.timeInterval)
            span.operationName = "interaction \(outcome.name)"
            span.attributes[SpanAttributeName.command] = outcome.name
            span.attributes[SpanAttributeName.outcome] = outcome.result
            if outcome.result == "error" { span.setStatus(SpanStatus(code: .error)) }
            _ = token  // the claim's lease outlives the interaction: no second round trip to complete it
        }
    }

    private enum ClaimOutcome {
        case claimed(ClaimToken)
        /// Another master or an earlier delivery has it.
        case duplicate
        /// The claim store did not answer (in time).
        case unavailable
    }

    /// Claims the key, giving the store at most `claimPatience`: the member must be answered within
    /// Discord's 3 s even when the store hangs.
    private func claim(_ key: IdempotencyKey) async -> ClaimOutcome {
        let claims = context.claims
        let now = context.now()
        let result = await withTaskGroup(of: Result<IdempotencyClaim, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await claims.claim(key, lease: Self.claimLease, now: now)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await context.clock.sleep(for: Self.claimPatience)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch result {
        case .success(.claimed(let token, _))?:
            context.outage.ended(logger: context.logger)
            return .claimed(token)
        case .success?:
            context.outage.ended(logger: context.logger)
            return .duplicate
        case .failure(let error)?:
            context.outage.began("interaction claims", error: "\(error)", logger: context.logger)
            return .unavailable
        case nil:
            context.outage.began("interaction claims", error: "no answer within \(Self.claimPatience)", logger: context.logger)
            return .unavailable
        }
    }

    /// How long a claim may take before the member is told music is briefly unavailable.
    static let claimPatience: Duration = .milliseconds(1_500)
    /// An interaction can be answered for 15 minutes; a claim held that long is never retried by
    /// another master, so it is not completed afterwards (one store round trip per command saved).
    static let claimLease: Duration = .seconds(900)

    private func answer(_ interaction: Interaction) async -> (name: String, result: String) {
        switch interaction.data {
        case .command(let data) where interaction.type == .applicationCommand:
            return await command(data, interaction)
        case .command(let data) where interaction.type == .autocomplete:
            await autocomplete(data, interaction)
            return ("autocomplete", "ok")
        case .component(let data):
            return await component(data, interaction)
        default:
            await respond(interaction, Reply(context.text(.errorUnknownCommand, locale(of: interaction)), ephemeral: true))
            return ("other", "refused")
        }
    }

    private func command(_ data: ApplicationCommandData, _ interaction: Interaction) async -> (name: String, result: String) {
        let parsed: (String, [String: OptionValue])
        do {
            parsed = try CommandValidation.slash(data)
        } catch {
            await respond(interaction, problemReply(error, locale(of: interaction)))
            return (data.name, "invalid")
        }
        guard var invocation = invocation(parsed.0, parsed.1, interaction) else {
            await respond(interaction, Reply(context.text(.errorUnknownCommand, locale(of: interaction)), ephemeral: true))
            return (parsed.0, "invalid")
        }
        invocation.targetSession = nil
        let command = invocation
        let slow = MusicCommands.slowCommands.contains(invocation.name)
        let result = await answerInTime(interaction, deferAtOnce: slow) { await self.run(command) }
        return (invocation.name, result)
    }

    private func component(_ data: ComponentData, _ interaction: Interaction) async -> (name: String, result: String) {
        if let (action, session) = NowPlayingBoard.parse(customID: data.customID),
            var invocation = invocation(action == .toggle ? "toggle" : action.command, [:], interaction)
        {
            invocation.targetSession = session
            let command = invocation
            let result = await answerInTime(interaction, deferAtOnce: false) {
                let (reply, result) = await self.run(command)
                return (Reply(reply.content, ephemeral: true), result)
            }
            return (invocation.name, result)
        }
        if let (action, lobby) = LobbyBoard.parse(customID: data.customID),
            let invocation = invocation("game.\(action.rawValue)", [:], interaction)
        {
            let value = data.values?.first
            let result = await answerInTime(interaction, deferAtOnce: false) {
                do {
                    return (try await self.games.press(action, lobby: lobby, value: value, invocation), "ok")
                } catch {
                    return (self.problemReply(error, invocation.locale), error is InvocationProblem ? "refused" : "error")
                }
            }
            return (invocation.name, result)
        }
        if data.customID.hasPrefix("pick:"), let value = data.values?.first,
            let invocation = invocation("pick", [:], interaction)
        {
            let result = await answerInTime(interaction, deferAtOnce: true) {
                do {
                    return (try await self.music.pick(invocation, value: value), "ok")
                } catch is CommandAnsweredElsewhere {
                    return (.answeredElsewhere, "ok")
                } catch {
                    return (self.problemReply(error, invocation.locale), error is InvocationProblem ? "refused" : "error")
                }
            }
            return ("pick", result)
        }
        await respond(interaction, Reply(context.text(.errorUnknownCommand, locale(of: interaction)), ephemeral: true))
        return ("other", "invalid")
    }

    private func autocomplete(_ data: ApplicationCommandData, _ interaction: Interaction) async {
        var choices: [ApplicationCommandOption.Choice] = []
        let typed = data.name == "play" ? data.focusedOption?.value?.string ?? "" : ""
        let resolution: TrackResolver.Resolution = typed.count >= 2 ? await context.tracks.resolve(typed) : .nothing
        if case .tracks(let found, _) = resolution {
            choices = found.prefix(5).compactMap { track in
                guard let uri = track.uri, uri.utf8.count <= 100 else { return nil }
                return ApplicationCommandOption.Choice(name: String("\(track.title) — \(track.author)".prefix(100)),
                                                       value: .string(uri))
            }
        }
        _ = try? await context.rest.createInteractionResponse(interactionID: interaction.id, token: interaction.token,
                                                              .autocompleteResult(choices))
    }

    /// Answers with what `work` replies. Discord drops an interaction not acknowledged within 3 s,
    /// so when the work is slow (a Lavalink lookup, a rate-limited store or REST call) the
    /// interaction is acknowledged first ("thinking…") and the answer edited in when it is ready.
    private func answerInTime(_ interaction: Interaction, deferAtOnce: Bool,
                              _ work: @escaping @Sendable () async -> (Reply, String)) async -> String {
        let progress = AnswerProgress()
        let patience: Duration = deferAtOnce ? .zero : .milliseconds(2_000)
        let acknowledged = Self.acknowledgedWhileWaiting
        if acknowledged { progress.state.withLock { $0.deferred = true } }
        let outcome = await withTaskGroup(of: (Reply, String)?.self) { group in
            group.addTask { await work() }
            if !acknowledged { group.addTask {
                if patience > .zero { try? await context.clock.sleep(for: patience) }
                let shouldDefer = progress.state.withLock { state -> Bool in
                    guard !state.done else { return false }
                    state.deferred = true
                    return true
                }
                if shouldDefer { await self.acknowledge(interaction) }
                return nil
            } }
            var outcome: (Reply, String)?
            for await value in group {
                if let value {
                    outcome = value
                    // Cut the wait short, but never an acknowledgement already on its way: the
                    // answer must follow it, not race it.
                    let acknowledging = progress.state.withLock { state -> Bool in
                        state.done = true
                        return state.deferred
                    }
                    if !acknowledging { group.cancelAll() }
                }
            }
            return outcome ?? (Reply(context.text(.errorGeneric, locale(of: interaction)), ephemeral: true), "error")
        }
        if outcome.0.answeredElsewhere {
            // Nothing to add: another master answered (on the acknowledgement this one deferred).
        } else if progress.state.withLock({ $0.deferred }) {
            await finishDeferred(interaction, outcome.0)
        } else {
            await respond(interaction, outcome.0)
        }
        return outcome.1
    }

    private func acknowledge(_ interaction: Interaction) async {
        do {
            try await context.rest.createInteractionResponse(interactionID: interaction.id, token: interaction.token,
                                                             .deferredMessage(ephemeral: false))
        } catch {
            context.logger.warning("could not acknowledge an interaction", metadata: ["error": "\(error)"])
        }
    }

    /// Runs an invocation; refusals become the member's localized, ephemeral reply.
    private func run(_ invocation: CommandInvocation) async -> (Reply, String) {
        do {
            if invocation.name.hasPrefix("game.") { return (try await games.run(invocation), "ok") }
            if invocation.name.hasPrefix("settings.") { return (try await SettingsCommands(context: context, music: music).run(invocation), "ok") }
            if invocation.name.hasPrefix("playlist.") { return (try await PlaylistCommands(context: context, music: music).run(invocation), "ok") }
            if invocation.name == "help" { return (try await HelpCommand(context: context).run(invocation), "ok") }
            return (try await music.run(invocation), "ok")
        } catch let problem as InvocationProblem {
            MasterMetrics.commandRefused(invocation.name, reason: problem.key)
            return (problemReply(problem, invocation.locale), "refused")
        } catch is CommandAnsweredElsewhere {
            return (.answeredElsewhere, "ok")
        } catch where Self.isUnavailable(error) {
            context.outage.began("command", error: "\(error)", logger: context.logger)
            return (Reply(context.text(.musicBrieflyUnavailable, invocation.locale), ephemeral: true), "unavailable")
        } catch {
            context.logger.error("command failed", metadata: ["command": "\(invocation.name)", "error": "\(error)"])
            return (Reply(context.text(.errorGeneric, invocation.locale), ephemeral: true), "error")
        }
    }

    /// A store or the bus could not be reached: the member is told to try again, not that
    /// something broke.
    static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? StateStoreError { return error.code == .unavailable }
        if let error = error as? JobBusError { return error.code == .unavailable }
        if let error = error as? LedgerError { return error.code == .unavailable }
        return false
    }

    func problemReply(_ error: any Error, _ locale: AnankorCore.DiscordLocale) -> Reply {
        guard let problem = error as? InvocationProblem else {
            return Reply(context.text(.errorGeneric, locale), ephemeral: true)
        }
        return Reply(Self.text(of: problem, locale, context.catalog), ephemeral: true)
    }

    /// A refusal in the member's locale: a refused option is named as registered in that locale
    /// and the reason comes from the catalog too, so no English detail ends up in a German reply.
    static func text(of problem: InvocationProblem, _ locale: AnankorCore.DiscordLocale,
                     _ catalog: LocalizationCatalog) -> String {
        var arguments = problem.arguments
        if let option = problem.option {
            arguments["option"] = catalog.option(option.path, locale)
            arguments["detail"] = catalog.text(option.detail, locale, option.arguments)
        }
        let lines = [catalog.text(problem.key, locale, arguments)]
            + problem.followUps.map { catalog.text($0.key, locale, $0.arguments) }
        return lines.joined(separator: "\n")
    }

    private func respond(_ interaction: Interaction, _ reply: Reply) async {
        if Self.acknowledgedWhileWaiting { return await finishDeferred(interaction, reply) }
        do {
            try await context.rest.createInteractionResponse(interactionID: interaction.id, token: interaction.token,
                                                             .message(reply.message))
        } catch {
            context.logger.warning("could not answer an interaction", metadata: ["error": "\(error)"])
        }
    }

    /// A deferred answer: public replies replace the "thinking…" message; a refusal removes it and
    /// goes to the member alone, since a deferred message cannot turn ephemeral.
    private func finishDeferred(_ interaction: Interaction, _ reply: Reply) async {
        do {
            if reply.ephemeral {
                try await context.rest.deleteOriginalResponse(applicationID: applicationID, token: interaction.token)
                _ = try await context.rest.createFollowup(applicationID: applicationID, token: interaction.token, reply.message)
            } else {
                _ = try await context.rest.editOriginalResponse(applicationID: applicationID, token: interaction.token,
                                                                MessageEdit(content: reply.content,
                                                                            components: reply.components,
                                                                            allowedMentions: AllowedMentions.none))
            }
        } catch {
            context.logger.warning("could not complete a deferred interaction", metadata: ["error": "\(error)"])
        }
    }

    /// Buttons and menus are answered to the presser alone.
    private static func isComponent(_ interaction: Interaction) -> Bool {
        if case .component? = interaction.data { return true }
        return false
    }

    private func locale(of interaction: Interaction) -> AnankorCore.DiscordLocale {
        AnankorCore.DiscordLocale(rawValue: interaction.locale?.rawValue ?? interaction.guildLocale?.rawValue ?? "en-US")
    }

    private func invocation(_ name: String, _ options: [String: OptionValue], _ interaction: Interaction) -> CommandInvocation? {
        guard let guild = interaction.guildID, let user = interaction.invoker else { return nil }
        return CommandInvocation(
            name: name, options: options, guild: GuildID(guild.rawValue),
            textChannel: interaction.channelID.map { ChannelID($0.rawValue) }, user: UserID(user.id.rawValue),
            roles: (interaction.member?.roles ?? []).map { RoleID($0.rawValue) },
            permissions: interaction.member?.permissions, locale: locale(of: interaction), targetSession: nil,
            id: interaction.id.rawValue,
            handle: CommandHandle(interaction: interaction.id.rawValue, token: interaction.token.value, channel: nil,
                                  locale: locale(of: interaction), ephemeral: Self.isComponent(interaction)).encoded)
    }

    // MARK: Text commands

    /// `!play …` when the message-content intent is on: the same commands, answered in the channel.
    func handle(_ message: Message) async {
        guard context.configuration.textCommands, message.author?.bot != true, let guild = message.guildID,
            let author = message.author, let content = message.content
        else { return }
        let settings = try? await context.settings.settings(of: GuildID(guild.rawValue))
        let prefix = settings?.prefix ?? context.configuration.defaultPrefix
        guard content.hasPrefix(prefix), content.count > prefix.count else { return }
        let body = content.dropFirst(prefix.count)
        let name = body.prefix { !$0.isWhitespace }.lowercased()
        guard CommandValidation.specs[name] != nil, name != "game" else { return }
        guard let key = IdempotencyKey("message:\(message.id)") else { return }
        let locale = await context.channelLocale(of: GuildID(guild.rawValue))
        let token: ClaimToken
        switch await claim(key) {
        case .claimed(let claimed): token = claimed
        case .duplicate: return
        case .unavailable:
            _ = try? await context.rest.createMessage(channelID: message.channelID, MessageCreate(
                content: context.text(.musicBrieflyUnavailable, locale), allowedMentions: AllowedMentions.none))
            return
        }
        let reply: Reply
        do {
            let (command, options) = try CommandValidation.text(command: name, arguments: String(body.dropFirst(name.count)))
            let invocation = CommandInvocation(
                name: command, options: options, guild: GuildID(guild.rawValue),
                textChannel: ChannelID(message.channelID.rawValue), user: UserID(author.id.rawValue),
                roles: (message.member?.roles ?? []).map { RoleID($0.rawValue) }, permissions: nil, locale: locale,
                targetSession: nil, id: message.id.rawValue,
                handle: CommandHandle(interaction: nil, token: nil, channel: message.channelID.rawValue, locale: locale,
                                      ephemeral: false).encoded)
            reply = await run(invocation).0
        } catch {
            reply = problemReply(error, locale)
        }
        if reply.answeredElsewhere { return }
        _ = try? await context.rest.createMessage(channelID: message.channelID,
                                                  MessageCreate(content: reply.content, components: reply.components,
                                                                allowedMentions: AllowedMentions.none))
        _ = token
    }
}

/// Whether an answer is ready and whether the interaction was acknowledged while waiting for it.
private final class AnswerProgress: Sendable {
    let state = Mutex<(done: Bool, deferred: Bool)>((false, false))
}
