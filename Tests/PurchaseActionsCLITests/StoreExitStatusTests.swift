import CommandLineSupport
import PurchaseActionsCLI
import PurchaseActionsDelivery
import PurchaseActionsSQLite
import Testing

/// Swift Testing has an `ExitStatus` of its own.
private typealias Status = CommandLineSupport.ExitStatus

/// The store's and the deliverers' errors to exit codes (Docs/cli.md, "Exit codes"), in the CLI
/// module's StoreError+CommandLine.swift and DeliveryError+CommandLine.swift.
@Suite("purchase-actions: store and delivery errors to exit codes")
struct StoreExitStatusTests {
    @Test("Each StoreError code has its exit status; the diagnostic names the database")
    func storeErrors() {
        let expected: [StoreError.Code: Status] = [
            .unknownWorkflow: .usage, .unknownVersion: .usage, .newerSchema: .invalidData, .notADatabase: .invalidData,
            .invalidEnrollment: .invalidData, .stepRemoved: .invalidData, .engine: .invalidData, .cannotOpen: .io, .diskFull: .io,
            .readOnly: .io, .io: .io, .closed: .internalError,
        ]
        for (code, status) in expected {
            #expect(StoreError(code, "m").exitStatus == status, "\(code)")
        }
        #expect(StoreError(.diskFull, "the disk is full", path: "db.sqlite").diagnostic == "db.sqlite: error: the disk is full")
        #expect(StoreError(.closed, "m").diagnostic == "error: m")
    }

    @Test("Each DeliveryError code has its exit status")
    func deliveryErrors() {
        let expected: [DeliveryError.Code: Status] = [
            .invalidURL: .usage, .invalidHeader: .usage, .invalidTimeout: .usage, .notARegularFile: .invalidData, .notARecording: .invalidData,
            .cannotOpen: .io,
        ]
        for (code, status) in expected {
            #expect(DeliveryError(code, "m", what: "w").exitStatus == status, "\(code)")
        }
    }
}
