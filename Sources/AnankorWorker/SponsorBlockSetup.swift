import AnankorCore
import LavalinkKit

extension WorkerBot {
    /// Tells the node of the guild's player which SponsorBlock categories to skip (the guild's
    /// setting, default sponsor, selfpromo, interaction). Called when the player gets its voice
    /// connection and after it moved to another node, which starts without them. A node without
    /// the plugin plays everything; that is logged once per call at debug level, not an error.
    func applySponsorBlock(in guild: GuildID) async {
        let categories: [String]
        do {
            categories = try await context.ledger.guildSettings(guild).effectiveSponsorBlockCategories
        } catch {
            logger.warning("could not read the guild's SponsorBlock categories; using the defaults",
                           metadata: ["guild.id": "\(guild)", "error": "\(error)"])
            categories = GuildSettings.defaultSponsorBlockCategories
        }
        do {
            try await pool.setSponsorBlockCategories(guildId: guild.description, categories.map { SponsorBlock.Category(rawValue: $0) })
        } catch let error as LavalinkError where error.code == .pluginMissing {
            logger.debug("no SponsorBlock plugin on the player's node", metadata: ["guild.id": "\(guild)"])
        } catch {
            logger.warning("could not set SponsorBlock categories", metadata: ["guild.id": "\(guild)", "error": "\(error)"])
        }
    }
}
