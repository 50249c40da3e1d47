/// One line of `anankor doctor`: what was checked, how it went, and what to do about it.
public struct DoctorFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Status: Sendable, Equatable {
        case ok
        /// Works, but something is off or was not checked.
        case warning
        /// Anankor will not work until this is fixed.
        case problem
    }

    public var check: String
    public var status: Status
    public var detail: String
    /// What the operator should do; nil when nothing.
    public var fix: String?

    public init(_ check: String, _ status: Status, _ detail: String, fix: String? = nil) {
        self.check = check
        self.status = status
        self.detail = detail
        self.fix = fix
    }

    public var description: String {
        let mark = switch status {
        case .ok: "ok     "
        case .warning: "warning"
        case .problem: "PROBLEM"
        }
        return "\(mark) \(check): \(detail)" + (fix.map { "\n        fix: \($0)" } ?? "")
    }
}

/// The closing line of `anankor doctor` and its exit status: problems fail; warnings alone pass
/// but are counted, so "no problems" is only said when it is true.
public struct DoctorVerdict: Sendable, Equatable, CustomStringConvertible {
    public var problems: Int
    public var warnings: Int

    public init(_ findings: [DoctorFinding]) {
        problems = findings.filter { $0.status == .problem }.count
        warnings = findings.filter { $0.status == .warning }.count
    }

    public var passed: Bool { problems == 0 }

    public var description: String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        switch (problems, warnings) {
        case (0, 0): return "everything checked is working"
        case (0, let warnings): return "no problems, \(count(warnings, "warning")) (see above)"
        case (let problems, 0): return "\(count(problems, "problem")) found"
        case (let problems, let warnings): return "\(count(problems, "problem")) and \(count(warnings, "warning")) found"
        }
    }
}
