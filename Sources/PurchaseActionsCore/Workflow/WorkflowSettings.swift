/// How a workflow enrolls contacts and when it may message them.
public struct WorkflowSettings: Hashable, Sendable {
    /// Which clock calendar-day waits and send windows read.
    public enum TimezoneChoice: String, Hashable, Sendable, CaseIterable {
        /// The account's timezone.
        case account
        /// The contact's timezone when known, else the account's.
        case contact
    }

    /// A contact already enrolled may enter again (each entry runs on its own).
    public var allowReentry: Bool
    /// At most one enrollment per order, whatever the re-entry setting.
    public var onePerOrder: Bool
    /// A reply from the contact ends the enrollment.
    public var stopOnResponse: Bool
    /// Whose timezone applies.
    public var timezone: TimezoneChoice
    /// The account's IANA timezone, such as `America/Denver`: used for ``TimezoneChoice/account``
    /// and when a contact's timezone is unknown.
    public var accountTimezone: String
    /// When messages may go out; outside it they wait for the next opening.
    public var sendWindow: SendWindow?
    /// The sender of emails that name none.
    public var defaultSender: Sender?

    /// Creates settings.
    public init(
        allowReentry: Bool = true, onePerOrder: Bool = false, stopOnResponse: Bool = false, timezone: TimezoneChoice = .account,
        accountTimezone: String, sendWindow: SendWindow? = nil, defaultSender: Sender? = nil
    ) {
        self.allowReentry = allowReentry
        self.onePerOrder = onePerOrder
        self.stopOnResponse = stopOnResponse
        self.timezone = timezone
        self.accountTimezone = accountTimezone
        self.sendWindow = sendWindow
        self.defaultSender = defaultSender
    }
}

/// Days of the week and hours of the day, in the workflow's timezone.
public struct SendWindow: Hashable, Sendable {
    /// A day of the week.
    public enum Day: String, Hashable, Sendable, CaseIterable {
        /// Monday.
        case mon
        /// Tuesday.
        case tue
        /// Wednesday.
        case wed
        /// Thursday.
        case thu
        /// Friday.
        case fri
        /// Saturday.
        case sat
        /// Sunday.
        case sun
    }
    /// The days it is open.
    public var days: [Day]
    /// Opening time, `HH:MM`.
    public var from: String
    /// Closing time, `HH:MM` (exclusive).
    public var to: String

    /// Creates a window.
    public init(days: [Day], from: String, to: String) {
        self.days = days
        self.from = from
        self.to = to
    }
}

/// Who an email comes from.
public struct Sender: Hashable, Sendable {
    /// Display name.
    public var name: String
    /// Address.
    public var address: String

    /// Creates a sender.
    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}
