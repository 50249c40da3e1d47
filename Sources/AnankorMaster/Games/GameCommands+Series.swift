import AnankorCore
import DiscordKit
import Foundation

/// Recurring lobbies (`/game create … repeat:daily|weekly`): when a lobby of a series closes, the
/// next one is saved and its message posted in the same text channel; `/game cancel` asks whether
/// to stop the series.
extension GameCommands {
    /// `/game cancel`: a lobby of a running series first asks, privately, whether to cancel only
    /// this one or stop the series (the buttons act through `cancelInSeries`); any other lobby is
    /// cancelled at once.
    func cancel(_ invocation: CommandInvocation, lobby ref: LobbyRef?) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        guard let series = lobby.series, !series.stopped else {
            return try await finish(invocation, lobby: ref, state: .cancelled)
        }
        guard mayManage(lobby, invocation) else { throw InvocationProblem(.gameNotHost) }
        return Reply(context.text(.gameCancelAskSeries, invocation.locale, ["title": lobby.title]), ephemeral: true,
                     components: LobbyBoard.cancelChoice(lobby, invocation.locale, context.catalog))
    }

    /// One of the question's buttons: cancels the lobby, stopping its series in the same
    /// compare-and-set when asked, and otherwise posts the next lobby of the series.
    func cancelInSeries(_ invocation: CommandInvocation, lobby ref: LobbyRef, stopSeries: Bool) async throws -> Reply {
        let lobby = try await target(invocation, ref)
        guard mayManage(lobby, invocation) else { throw InvocationProblem(.gameNotHost) }
        guard let closed = await close(lobby, as: .cancelled, stopSeries: stopSeries) else {
            throw InvocationProblem(.gameNoLobby)
        }
        if stopSeries {
            return Reply(context.text(.gameCancelledSeriesStopped, invocation.locale, ["title": closed.title]),
                         ephemeral: true)
        }
        // Without a next lobby (it could not be saved; logged) the answer says only what happened.
        guard let next = await continueSeries(after: closed), let start = next.startAt else {
            return Reply(context.text(.gameCancelled, invocation.locale, ["title": closed.title]), ephemeral: true)
        }
        let time = LobbyStartTime(date: start)
        return Reply(context.text(.gameCancelledSeriesGoesOn, invocation.locale, [
            "title": closed.title, "start": "\(time.fullMarkup) (\(time.relativeMarkup))",
        ]), ephemeral: true)
    }

    /// After a lobby of a series closed (ended, cancelled, expired, abandoned): saves the next
    /// lobby of the series and posts its message, with reminders, then marks the closed lobby as
    /// handed on (which takes it off the guild's list). The next lobby's id derives from the
    /// series and it is saved only if nothing is stored under it yet (`saveLobby` at version 0),
    /// so a second call — another master, a retried close, the sweep after a crash — posts
    /// nothing. A next lobby saved but never posted (a crash in between) is posted by the sweep.
    /// Returns the next lobby as stored; nil when the series ends here or it could not be saved.
    @discardableResult
    func continueSeries(after closed: Lobby) async -> Lobby? {
        let now = context.now()
        guard let next = closed.nextInSeries(now: now) else { return nil }
        do {
            let stored: Lobby
            if let saved = try await context.state.saveLobby(next) {
                stored = try await publish(saved, now: now)
            } else if let existing = try await context.state.lobby(next.id, in: next.guild) {
                stored = existing
            } else {
                return nil
            }
            _ = try await context.state.updateLobby(closed.id, in: closed.guild) { $0.markNextSaved() ? true : nil }
            return stored
        } catch {
            context.logger.error("could not post the next lobby of a series",
                                 metadata: ["lobby.id": "\(closed.id)", "error": "\(error)"])
            return nil
        }
    }
}
