// The samples of the engine's versions, stored enrollments and relocation (Docs/engine.md,
// "Versions"; the `///` comments of Enrollment+JSON.swift, PublishedWorkflow.swift,
// Engine+Check.swift and Engine+Relocate.swift), compiled.
import PurchaseActions

/// Engine(current:earlier:)'s samples: version 2 current, version 1 running what is pinned to it.
func engineVersionsDocSample(
    welcomeV1: Workflow, welcomeV2: Workflow, profile: AccountProfile, oldProfile: AccountProfile, plans: [String: String], now: Instant,
    store: InMemoryEnrollmentStore
) throws -> (Engine, Engine) {
    let first: Engine
    do {
        let engine = try Engine(
            current: [PublishedWorkflow(welcomeV2, account: profile)], earlier: [PublishedWorkflow(welcomeV1, account: oldProfile)],
            start: now, ports: Engine.Ports(store: store))
        first = engine
    }
    let engine = try Engine(
        current: [PublishedWorkflow(welcomeV2, account: profile, productOfPlan: plans)],
        earlier: [PublishedWorkflow(welcomeV1, account: oldProfile, productOfPlan: plans)],
        start: now, ports: Engine.Ports(store: store))
    return (first, engine)
}

/// Enrollment.json's and init(json:)'s samples: an enrollment to a line and back.
func enrollmentJSONDocSample(enrollment: Enrollment) throws -> Enrollment {
    let line = enrollment.json.compactText   // {"chain":0,"contactID":"c-1","frames":[{"position":2,"version":1,"workflowID":"w"}],...}
    let stored = line
    let enrollment = try Enrollment(json: JSONValue.parse(stored))
    return enrollment
}

/// Engine.check's and Engine.relocate's samples.
func checkAndRelocateDocSample(engine: Engine, enrollments: [Enrollment], waiting: Enrollment, welcomeV1: Workflow, welcomeV2: Workflow) throws -> Enrollment {
    for stored in enrollments { try engine.check(stored) }
    let moved = try Engine.relocate(waiting, from: welcomeV1, to: welcomeV2)
    return moved
}
