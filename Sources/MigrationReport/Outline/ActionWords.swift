import PurchaseActionsCore

/// The outline's words for the actions that come back in many workflows (adding the same tag,
/// sending the same subject, setting the same field), made once and reused: the sentence, its
/// plain text for the JSON report and its Markdown (Benchmarks/README.md, "Import throughput").
///
/// What an action's words depend on is the action's own fields that ``Key`` holds and the
/// catalogue's names, which do not change for a renderer's life (a new catalogue makes a new
/// ``ReportRenderer``); an enroll's or unenroll's, its workflow's id and the name known for it,
/// which the key holds too. So a kept entry is byte for byte what ``ReportNames/does(_:)`` makes anew.
///
/// Bounded: at most ``entryLimit`` entries, keys of at most ``keyByteLimit`` bytes, and
/// ``byteLimit`` bytes of keys and words in all; past those, words are made anew and not kept.
struct ActionWords: Sendable {
    /// An action's words, with the two forms the formats write as they are.
    struct Words: Sendable {
        var sentence: Sentence
        /// `sentence.plain`, or nil when not made (an action not kept).
        var plain: String?
        /// `sentence.markdown`'s bytes, or nil when not made.
        var markdown: [UInt8]?
    }

    /// The fields of an action its words are made from, compared by their bytes (``ExactText``:
    /// cheaper than `String`'s comparison, and two texts that are canonically equivalent but written
    /// with other bytes get words of their own).
    enum Key: Hashable, Sendable {
        case addTag(ExactText)
        case removeTag(ExactText)
        case sendEmail(subject: ExactText, to: RecipientKey)
        case notify(subject: ExactText, to: RecipientKey)
        case createNote(ExactText)
        case createAppointment(ExactText)
        case updateField(ExactText, ExactText)
        case createTask(title: ExactText, assignee: ExactText?, dueInDays: Int?)
        case sendSMS(ExactText)
        case createOpportunity(ExactText)
        case assignOwner(ExactText)
        case achieveGoal(ExactText, ExactText)
        case legacy(ExactText)
        case createOrder(lines: Int)
        case cancelSubscription(ExactText?)
        case completeTasks(ExactText?)
        case retryCharge
        case exit
        /// An enroll or unenroll (1 or 2), with the name the words give the workflow (the one known
        /// when the words were made: a name learnt later makes another key).
        case workflow(Int, id: ExactText, name: ExactText?)
    }

    /// A `Recipient` in a ``Key``.
    enum RecipientKey: Hashable, Sendable {
        case contact, owner
        case user(ExactText)
        case address(ExactText)

        init(_ recipient: Recipient) {
            switch recipient {
            case .contact: self = .contact
            case .owner: self = .owner
            case .user(let id): self = .user(ExactText(id))
            case .address(let address): self = .address(ExactText(address))
            }
        }
    }

    /// A ``Key`` with its hash, found once: the table's probes compare the hashes first, and a
    /// key only with the one whose hash is its own (a `Key` compared at every probe cost more than
    /// making the words of some steps).
    struct HashedKey: Hashable, Sendable {
        let hash: Int
        let key: Key

        init(_ key: Key) {
            self.key = key
            hash = key.hashValue
        }

        static func == (lhs: HashedKey, rhs: HashedKey) -> Bool { lhs.hash == rhs.hash && lhs.key == rhs.key }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    private var entries: [HashedKey: Words] = [:]
    /// Bytes of the keys and words kept.
    private(set) var bytes = 0
    private let entryLimit: Int

    /// The most entries a renderer keeps: 2,000.
    static let reportEntryLimit = 2_000
    /// The most bytes of one key's strings: 1,000.
    static let keyByteLimit = 1_000
    /// The most bytes of keys and words kept: 1,000,000.
    static let byteLimit = 1_000_000

    /// A cache keeping at most `entryLimit` entries (0: none; every action's words made anew).
    init(entryLimit: Int = reportEntryLimit) { self.entryLimit = entryLimit }

    /// How many actions' words are kept.
    var count: Int { entries.count }

    /// The key of a step whose words can be kept, and its strings' bytes; nil for any other step:
    /// an `if` (its condition is nearly always one of a kind), a wait, a goal, a call (nearly always
    /// of another action set: 7,709 targets in 9,686 calls at 20,000 sets) and a webhook (its URL is
    /// nearly always one of a kind, 9,750 of 9,772), which would only fill the entries. Enrolls and
    /// unenrolls name a few sequences (20 in 11,234 steps).
    static func key(_ kind: Step.Kind, names: ReportNames) -> (key: Key, bytes: Int)? {
        func workflow(_ index: Int, _ id: String) -> (key: Key, bytes: Int) {
            let name = names.workflowNames[id]
            return (.workflow(index, id: ExactText(id), name: name.map(ExactText.init)), id.utf8.count + (name?.utf8.count ?? 0))
        }
        let action: WorkflowAction
        switch kind {
        case .action(let step): action = step
        case .exit: return (.exit, 0)
        case .enroll(let id): return workflow(1, id)
        case .unenroll(let id): return workflow(2, id)
        case .branch, .wait, .goal, .call: return nil
        }
        func size(_ recipient: Recipient) -> Int {
            switch recipient {
            case .contact, .owner: 0
            case .user(let text), .address(let text): text.utf8.count
            }
        }
        switch action {
        case .addTag(let tag): return (.addTag(ExactText(tag)), tag.utf8.count)
        case .removeTag(let tag): return (.removeTag(ExactText(tag)), tag.utf8.count)
        case .sendEmail(let email): return (.sendEmail(subject: ExactText(email.subject), to: RecipientKey(email.to)), email.subject.utf8.count + size(email.to))
        case .notify(let note): return (.notify(subject: ExactText(note.subject), to: RecipientKey(note.to)), note.subject.utf8.count + size(note.to))
        case .createNote(let title, _, _, _): return (.createNote(ExactText(title)), title.utf8.count)
        case .createAppointment(let appointment): return (.createAppointment(ExactText(appointment.title)), appointment.title.utf8.count)
        case .updateField(let field, let value): return (.updateField(ExactText(field), ExactText(value)), field.utf8.count + value.utf8.count)
        case .createTask(let task):
            return (.createTask(title: ExactText(task.title), assignee: task.assigneeID.map(ExactText.init), dueInDays: task.dueInDays), task.title.utf8.count + (task.assigneeID?.utf8.count ?? 0))
        case .sendSMS(_, let message): return (.sendSMS(ExactText(message)), message.utf8.count)
        case .createOpportunity(let title, _, _): return (.createOpportunity(ExactText(title)), title.utf8.count)
        case .assignOwner(let user): return (.assignOwner(ExactText(user)), user.utf8.count)
        case .achieveGoal(let integration, let call): return (.achieveGoal(ExactText(integration), ExactText(call)), integration.utf8.count + call.utf8.count)
        case .legacy(let element, _, _): return (.legacy(ExactText(element)), element.utf8.count)
        case .createOrder(let order): return (.createOrder(lines: order.lines.count), 0)
        case .cancelSubscription(let plan): return (.cancelSubscription(plan.map(ExactText.init)), plan?.utf8.count ?? 0)
        case .completeTasks(let template): return (.completeTasks(template.map(ExactText.init)), template?.utf8.count ?? 0)
        case .retryCharge: return (.retryCharge, 0)
        case .webhook: return nil
        }
    }

    /// The words of a step: kept ones, or made by `names` (and kept while within the bounds).
    mutating func words(_ kind: Step.Kind, names: ReportNames) -> Words {
        guard entryLimit > 0, let (key, keyBytes) = Self.key(kind, names: names), keyBytes <= Self.keyByteLimit else {
            return Words(sentence: names.does(kind))
        }
        let hashed = HashedKey(key)
        if let words = entries[hashed] { return words }
        let sentence = names.does(kind)
        var markdown: [UInt8] = []
        sentence.markdown(into: &markdown)
        let words = Words(sentence: sentence, plain: sentence.plain, markdown: markdown)
        // The sentence's strings are the key's and the catalogue's (shared, not copied): counted
        // as the key's bytes, with the two texts made here.
        let size = 2 * keyBytes + (words.plain?.utf8.count ?? 0) + markdown.count
        if entries.count < entryLimit, bytes + size <= Self.byteLimit {
            entries[hashed] = words
            bytes += size
        }
        return words
    }
}
