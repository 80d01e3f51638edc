import PurchaseActionsCore

/// The outline's words for the actions that come back in many workflows (adding the same tag,
/// sending the same subject, setting the same field), made once and reused: the sentence, its
/// plain text for the JSON report and its Markdown (Benchmarks/README.md, "Import throughput").
///
/// What an action's words depend on is the action's own fields that ``Key`` holds and the
/// catalogue's names, which do not change for a renderer's life (a new catalogue makes a new
/// ``ReportRenderer``). So a kept entry is byte for byte what ``ReportNames/does(_:)`` makes anew.
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

    /// The fields of an action its words are made from.
    enum Key: Hashable, Sendable {
        case addTag(String)
        case removeTag(String)
        case sendEmail(subject: String, to: Recipient)
        case notify(subject: String, to: Recipient)
        case createNote(String)
        case createAppointment(String)
        case updateField(String, String)
        case createTask(title: String, assignee: String?, dueInDays: Int?)
    }

    private var entries: [Key: Words] = [:]
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

    /// The key of an action whose words can be kept, and its strings' bytes; nil for any other step
    /// (and for a webhook: its URL is nearly always one of a kind, 9,750 of 9,772 at 20,000 sets, and
    /// would only fill the entries).
    static func key(_ kind: Step.Kind) -> (key: Key, bytes: Int)? {
        guard case .action(let action) = kind else { return nil }
        func size(_ recipient: Recipient) -> Int {
            switch recipient {
            case .contact, .owner: 0
            case .user(let text), .address(let text): text.utf8.count
            }
        }
        switch action {
        case .addTag(let tag): return (.addTag(tag), tag.utf8.count)
        case .removeTag(let tag): return (.removeTag(tag), tag.utf8.count)
        case .sendEmail(let email): return (.sendEmail(subject: email.subject, to: email.to), email.subject.utf8.count + size(email.to))
        case .notify(let note): return (.notify(subject: note.subject, to: note.to), note.subject.utf8.count + size(note.to))
        case .createNote(let title, _, _, _): return (.createNote(title), title.utf8.count)
        case .createAppointment(let appointment): return (.createAppointment(appointment.title), appointment.title.utf8.count)
        case .updateField(let field, let value): return (.updateField(field, value), field.utf8.count + value.utf8.count)
        case .createTask(let task):
            return (.createTask(title: task.title, assignee: task.assigneeID, dueInDays: task.dueInDays), task.title.utf8.count + (task.assigneeID?.utf8.count ?? 0))
        default: return nil
        }
    }

    /// The words of a step: kept ones, or made by `names` (and kept while within the bounds).
    mutating func words(_ kind: Step.Kind, names: ReportNames) -> Words {
        guard entryLimit > 0, let (key, keyBytes) = Self.key(kind), keyBytes <= Self.keyByteLimit else {
            return Words(sentence: names.does(kind))
        }
        if let words = entries[key] { return words }
        let sentence = names.does(kind)
        var markdown: [UInt8] = []
        sentence.markdown(into: &markdown)
        let words = Words(sentence: sentence, plain: sentence.plain, markdown: markdown)
        // The sentence's strings are the key's and the catalogue's (shared, not copied): counted
        // as the key's bytes, with the two texts made here.
        let size = 2 * keyBytes + (words.plain?.utf8.count ?? 0) + markdown.count
        if entries.count < entryLimit, bytes + size <= Self.byteLimit {
            entries[key] = words
            bytes += size
        }
        return words
    }
}
