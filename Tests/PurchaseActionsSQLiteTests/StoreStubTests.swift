import PurchaseActionsSQLite
import Testing

@Suite struct StoreErrorTests {
    @Test func describesThePath() {
        let error = StoreError(.diskFull, "the disk is full", path: "/tmp/x.sqlite")
        #expect(error.description == "/tmp/x.sqlite: the disk is full")
        #expect(error.code.rawValue == "disk-full")
    }
}
