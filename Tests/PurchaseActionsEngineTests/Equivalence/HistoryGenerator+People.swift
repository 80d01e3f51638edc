import Foundation
import PurchaseActionsCore

/// Hands out a seed's numbers one at a time, each reduced to a range; past the end it starts over.
struct Dice {
    let values: [Int]
    var position = 0
    init(_ values: [Int]) { self.values = values.isEmpty ? [0] : values }

    /// A number in `0..<count`.
    mutating func roll(_ count: Int) -> Int {
        defer { position += 1 }
        return values[position % values.count] % max(count, 1)
    }

    /// True with `percent` in 100.
    mutating func chance(_ percent: Int) -> Bool { roll(100) < percent }

    /// One of the elements.
    mutating func pick<T>(_ options: [T]) -> T { options[roll(options.count)] }
}

/// Buyers as a source knows them, and the ways a source spells the same buyer differently.
extension HistoryBuilder {
    /// A buyer: the id the source used (if any) and the names and email it last sent.
    struct Person {
        var id: String?
        var firstName: String
        var lastName: String
        var email: String
    }

    static let names: [(String, String, String)] = [
        ("Dana", "Whitfield", "dana@example.com"), ("Siobhán", "Murphy", "siobhan.murphy@example.ie"),
        ("Priya", "Natarajan", "priya.natarajan@example.com"), ("Declan", "Moran", "care@copperkettle.example.com"),
        ("Zoë", "Brennan", "zoe@example.net"), ("Mary Ann", "O'Neill", "maryann@example.com"), ("Tomás", "Ó Briain", "tomas@example.ie"),
    ]

    /// The same name and email as a form might send them: case, spaces, decomposed accents. All of
    /// these must match the original under the legacy rule.
    static func variant(_ person: Person, _ style: Int) -> (String, String, String) {
        let (first, last, email) = (person.firstName, person.lastName, person.email)
        switch style {
        case 1: return (first, last, email.uppercased())
        case 2: return (first.lowercased(), last.lowercased(), email)
        case 3: return (first.uppercased(), last.uppercased(), email.capitalized)
        case 4: return ("  " + first.replacingOccurrences(of: " ", with: "   ") + " ", last + "\t", " " + email + "  ")
        case 5: return (first.decomposedStringWithCanonicalMapping, last.decomposedStringWithCanonicalMapping, email)
        case 6: return (" " + first.uppercased().decomposedStringWithCanonicalMapping, last.lowercased() + " ", email.uppercased() + " ")
        default: return (first, last, email)
        }
    }

    /// Values for the contact fields the account's rules test, around each rule's value, so rules
    /// go both ways; plus an owner and a phone.
    static func fieldCandidates(_ account: LegacyAccount) -> [(name: String, values: [String])] {
        var values: [String: [String]] = [:]
        var order: [String] = []
        func add(_ name: String, _ candidates: [String]) {
            if values[name] == nil { order.append(name) }
            for candidate in candidates where !(values[name] ?? []).contains(candidate) { values[name, default: []].append(candidate) }
        }
        let actions = account.actionSets.flatMap(\.actions) + account.sequences.flatMap { $0.steps.flatMap(\.actions) }
        for criterion in actions.compactMap(\.rule).flatMap(\.criteria) {
            guard case .field(let name, let op, let given) = criterion.test, !["FirstName", "LastName", "Email", "DateCreated"].contains(name) else {
                continue
            }
            let value = given ?? "yes"
            // Well-formed values only: malformed numbers and dates are probed one by one in
            // EquivalenceKnownIssueTests, where the engine is known to read some of them differently.
            var candidates = ["", value, value.uppercased(), value.lowercased(), "none", " "]
            if let number = Int(value) {
                candidates += ["\(number + 1)", "\(number - 1)", " \(number + 1) ", "\(number).5", "abc", "-\(number + 1)"]
            } else if op == .before || op == .after {
                candidates += ["2018-06-01", "2020-02-29", value + "T10:00", "2030-01-01"]
            } else {
                candidates += ["x" + value, value + "x"]
            }
            add(name, candidates)
        }
        add("Phone1", ["+61 400 123 456", ""])
        add("OwnerID", account.catalogue.users.keys.sorted())
        return order.map { ($0, values[$0]!) }
    }

    /// Tags rules test, and a few others, for contacts created with tags.
    static func tagCandidates(_ account: LegacyAccount) -> [String] {
        let actions = account.actionSets.flatMap(\.actions) + account.sequences.flatMap { $0.steps.flatMap(\.actions) }
        var tags: [String] = []
        for criterion in actions.compactMap(\.rule).flatMap(\.criteria) {
            switch criterion.test {
            case .hasTag(let tag), .lacksTag(let tag): if !tags.contains(tag) { tags.append(tag) }
            case .field: break
            }
        }
        return tags + account.catalogue.tags.keys.sorted().filter { !tags.contains($0) }.prefix(2)
    }

    /// Who the next event is about: a new buyer (by id, by name, or both), or a known one (by id, by a
    /// variant of the name, or by name with a new email, which is somebody else).
    mutating func who(_ dice: inout Dice, preferNew: Bool = false) -> HistoryEvent.Who {
        var who: HistoryEvent.Who
        if people.isEmpty || dice.chance(preferNew ? 75 : 25) {
            counter += 1
            let base = dice.pick(Self.names)
            var person = Person(id: nil, firstName: base.0, lastName: base.1, email: base.2)
            switch dice.roll(10) {
            case 0..<4:
                person.id = "c-\(counter)"
                person.email = person.email.replacingOccurrences(of: "@", with: "+\(counter)@")
            case 4..<8:
                person.email = person.email.replacingOccurrences(of: "@", with: "+\(counter)@")
            case 8:
                person.id = "c-\(counter)"
            default:
                // A fresh id for a name and email another contact may already have: by name, the older wins.
                if let known = people.first { (person.firstName, person.lastName, person.email) = (known.firstName, known.lastName, known.email) }
                person.id = "c-\(counter)"
            }
            people.append(person)
            let byName = person.id == nil || dice.chance(80)
            who = HistoryEvent.Who(
                id: person.id, firstName: byName ? person.firstName : nil, lastName: byName ? person.lastName : nil, email: byName ? person.email : nil)
            if dice.chance(35) {
                // Distinct, as the events schema requires (uniqueItems).
                for tag in (0...dice.roll(2)).map({ _ in dice.pick(tags) }) where !who.tags.contains(tag) { who.tags.append(tag) }
            }
        } else {
            let index = dice.roll(people.count)
            let person = people[index]
            switch dice.roll(20) {
            case 0..<7 where person.id != nil:
                who = HistoryEvent.Who(id: person.id)
            case 7:
                // Somebody with the same name but another email: not a match.
                let email = "other.\(counter)." + person.email
                who = HistoryEvent.Who(firstName: person.firstName, lastName: person.lastName, email: email)
                people.append(Person(id: nil, firstName: person.firstName, lastName: person.lastName, email: email))
            case 8 where person.id != nil:
                // The source's current values for a known id: a new email.
                let email = "new.\(counter)." + person.email
                people[index].email = email
                who = HistoryEvent.Who(id: person.id, firstName: person.firstName, lastName: person.lastName, email: email)
            default:
                let (first, last, email) = Self.variant(person, dice.roll(7))
                who = HistoryEvent.Who(firstName: first, lastName: last, email: email)
            }
        }
        if !people.isEmpty, who.tags.isEmpty, dice.chance(10) { who.tags = [dice.pick(tags)] }
        if dice.chance(50) {
            for _ in 0...dice.roll(5) {
                let field = dice.pick(fields)
                who.fields[field.name] = dice.pick(field.values)
            }
        }
        return who
    }
}
