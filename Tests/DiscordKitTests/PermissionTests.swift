import DiscordKit
import Testing

@Suite("Permission computation")
struct PermissionTests {
    let guild = Snowflake<Guild>(100)
    let owner = Snowflake<User>(1)
    let member = Snowflake<User>(2)
    let dj = Snowflake<Role>(300)
    let muted = Snowflake<Role>(301)
    let admin = Snowflake<Role>(302)

    var roles: [Snowflake<Role>: Permissions] {
        [guild.cast(): [.viewChannel, .sendMessages, .connect, .speak, .embedLinks], dj: [.moveMembers],
         muted: [], admin: [.administrator]]
    }

    func base(_ user: Snowflake<User>, _ memberRoles: [Snowflake<Role>]) -> Permissions {
        Permissions.base(guildID: guild, ownerID: owner, userID: user, memberRoles: memberRoles) { roles[$0] }
    }

    func inChannel(_ memberRoles: [Snowflake<Role>], _ overwrites: [PermissionOverwrite]) -> Permissions {
        Permissions.inChannel(base: base(member, memberRoles), guildID: guild, userID: member,
                              memberRoles: memberRoles, overwrites: overwrites)
    }

    @Test("the owner and administrators hold every permission, even against overwrites")
    func ownerAndAdministrator() {
        #expect(base(owner, []) == .all)
        #expect(base(member, [admin]) == .all)
        #expect(inChannel([admin], [.role(guild.cast(), deny: .viewChannel)]) == .all)
    }

    @Test("base permissions are @everyone OR'd with the member's roles")
    func baseUnion() {
        let permissions = base(member, [dj])
        #expect(permissions.contains([.viewChannel, .connect, .moveMembers]))
        #expect(!permissions.contains(.manageChannels))
    }

    @Test("@everyone overwrite, then role overwrites together, then the member overwrite")
    func overwriteOrder() {
        let hidden = PermissionOverwrite.role(guild.cast(), deny: [.viewChannel, .connect])
        #expect(inChannel([], [hidden]) == [])
        let djSees = PermissionOverwrite.role(dj, allow: [.viewChannel, .connect])
        #expect(inChannel([dj], [hidden, djSees]).contains([.viewChannel, .connect]))
        // One role allowing and another denying: the allow wins (allows are applied after denies).
        let mutedDeny = PermissionOverwrite.role(muted, deny: .connect)
        #expect(inChannel([dj, muted], [hidden, djSees, mutedDeny]).contains(.connect))
        // The member's own overwrite has the last word.
        let memberDeny = PermissionOverwrite.member(member, deny: .connect)
        #expect(!inChannel([dj], [hidden, djSees, memberDeny]).contains(.connect))
        // Overwrites for roles the member lacks change nothing.
        #expect(inChannel([], [djSees]) == base(member, []))
    }

    @Test("without VIEW_CHANNEL nothing is usable; without SEND_MESSAGES embeds go too")
    func implicitPermissions() {
        #expect(inChannel([dj], [.role(guild.cast(), deny: .viewChannel)]) == [])
        let noSend = inChannel([], [.role(guild.cast(), deny: .sendMessages)])
        #expect(noSend.contains(.viewChannel) && !noSend.contains(.embedLinks))
    }

    @Test("permissions are decimal strings on the wire")
    func wireFormat() throws {
        let decoded = try decode(Permissions.self, #""2199023255551""#)
        #expect(decoded.contains(.moderateMembers))
    }
}
