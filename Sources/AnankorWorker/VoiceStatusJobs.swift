import AnankorCore
import DiscordKit
import Logging

/// `music.voice.status`: the current track under the voice channel's name. Best effort and never
/// a failure the members hear about: without Set Voice Channel Status (Discord's 50013) the job is
/// skipped with one log line, since the music plays all the same.
extension WorkerBot {
    func setVoiceStatus(_ job: VoiceStatusJob, logger: Logger) async throws {
        // A status for a channel the worker has since left for another is stale; a clear for the
        // channel it just left still goes out.
        if let current = await voice.session(in: job.session.guild), current.channel != job.session.channel {
            logger.info("voice status for another channel than the one the worker is in; ignored",
                        metadata: ["channel.id": "\(current.channel)"])
            return
        }
        do {
            try await rest.setVoiceChannelStatus(channelID: Snowflake(job.session.channel.rawValue),
                                                 status: job.status.map { String($0.prefix(500)) })
        } catch let error as DiscordRESTError where error.code == 50013 {
            logger.info("voice channel status skipped: the bot lacks Set Voice Channel Status there",
                        metadata: ["channel.id": "\(job.session.channel)"])
        }
    }
}
