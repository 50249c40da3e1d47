/// A worker's roles in one guild as the stores keep them: decimal ids joined by commas. An empty
/// list (only @everyone) is an empty string, which is not the same as no entry at all.
public enum WorkerRoleList {
    public static func encode(_ roles: [RoleID]) -> String {
        roles.map(\.description).joined(separator: ",")
    }

    /// Ids that do not parse are skipped: a role list is never worth failing a route over.
    public static func decode(_ text: String) -> [RoleID] {
        text.split(separator: ",").compactMap { UInt64($0).map(RoleID.init) }
    }
}
