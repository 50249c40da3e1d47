public import AnankorCore
public import Tracing

/// Moves the current span's W3C trace context into and out of job and event envelopes, so one
/// `/play` is one trace across master and worker processes. `AnankorCore` carries the context as
/// plain header strings; only here do they meet the tracing library.
extension TraceContext {
    /// The trace context of the current task's span; nil when nothing is traced (tracing off, or
    /// no span is active), so untraced envelopes carry nothing.
    public static func current() -> TraceContext? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: HeaderInjector())
        guard let parent = carrier["traceparent"] else { return nil }
        return TraceContext(traceparent: parent, tracestate: carrier["tracestate"])
    }

    /// A service context whose parent span is the remote one this context names.
    public var serviceContext: ServiceContext {
        var context = ServiceContext.topLevel
        var carrier = ["traceparent": traceparent]
        if let tracestate { carrier["tracestate"] = tracestate }
        InstrumentationSystem.instrument.extract(carrier, into: &context, using: HeaderExtractor())
        return context
    }
}

/// Span attributes are set on the work itself; these names are shared by master and worker so a
/// trace reads the same on both sides.
public enum SpanAttributeName {
    public static let command = "anankor.command"
    public static let outcome = "anankor.outcome"
    public static let guild = "anankor.guild.id"
    public static let jobKind = "anankor.job.kind"
    public static let eventKind = "anankor.event.kind"
    public static let worker = "anankor.worker.id"
    public static let deliveryCount = "messaging.delivery_count"
}

extension ServiceContext {
    /// The context to start a consumer span in: the envelope's remote parent when it carries one,
    /// else a new root.
    public static func continuing(_ trace: TraceContext?) -> ServiceContext {
        trace?.serviceContext ?? .topLevel
    }
}

struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
