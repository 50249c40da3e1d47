import AnankorCore
import LavalinkKit

extension WorkerBot {
    /// Tells the node of the guild's player which SponsorBlock categories to skip (the guild's
    /// setting, default sponsor, selfpromo, interaction). Called when the player gets its voice
    /// connection and after it moved to another node, which starts without them (`always`), and
    /// before each track, when the guild's choice differs from what this player was last given:
    /// the plugin reads the categories when a track starts, so `/settings sponsorblock` takes
    /// effect from the next track. The categories come with the join and play jobs (the
    /// master's settings cache); the guild's settings are read only when no job brought them. A
    /// node without the plugin plays everything; that is logged at debug level, not an error.
    func applySponsorBlock(in guild: GuildID, always: Bool = true) async {
        let categories: [String]
        if let given = sponsorBlockGiven.withLock({ $0[guild] }) {
            categories = given  // sent with the join or play job (`VoiceConnectJob.sponsorBlock`)
        } else {
            do {
                categories = try await context.ledger.guildSettings(guild).effectiveSponsorBlockCategories
            } catch {
                logger.warning("could not read the guild's SponsorBlock categories; using the defaults",
                               metadata: ["guild.id": "\(guild)", "error": "\(error)"])
                categories = GuildSettings.defaultSponsorBlockCategories
            }
        }
        let unchanged = sponsorBlockApplied.withLock { applied in
            defer { applied[guild] = categories }
            return applied[guild] == categories
        }
        if unchanged, !always { return }
        do {
            try await pool.setSponsorBlockCategories(guildId: guild.description, categories.map { SponsorBlock.Category(rawValue: $0) })
        } catch let error as LavalinkError where error.code == .pluginMissing {
            logger.debug("no SponsorBlock plugin on the player's node", metadata: ["guild.id": "\(guild)"])
        } catch {
            sponsorBlockApplied.withLock { _ = $0.removeValue(forKey: guild) }  // try again before the next track
            logger.warning("could not set SponsorBlock categories", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
        }
    }
}
