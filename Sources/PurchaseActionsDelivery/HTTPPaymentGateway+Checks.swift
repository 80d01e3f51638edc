extension HTTPPaymentGateway {
    /// What ``HTTPPostDeliverer`` checks (http or https, a host, a port 1…65535, no spaces or
    /// control characters), and no query or fragment: the status URL is the URL plus `/<key>`.
    static func checkGatewayURL(_ url: String) throws(DeliveryError) {
        try HTTPPostDeliverer.checkURL(url)
        guard !url.contains("?"), !url.contains("#") else {
            throw DeliveryError(
                .invalidURL, "a payment gateway URL has no query or fragment (status look-ups append /<key> to it); give a path such as https://billing.example.com/charges",
                what: url)
        }
    }

    /// A name that is an HTTP token and not one of ``reservedHeaders``; a value without control characters.
    static func checkGatewayHeader(name: String, value: String) throws(DeliveryError) {
        guard Text.isToken(name) else {
            throw DeliveryError(.invalidHeader, "a header name is letters, digits and !#$%&'*+-.^_`|~ only", what: name)
        }
        guard !reservedHeaders.contains(where: { $0.lowercased() == name.lowercased() }) else {
            throw DeliveryError(.invalidHeader, "the payment gateway sets this header itself; leave it out", what: name)
        }
        guard !Text.hasControl(value) else {
            throw DeliveryError(.invalidHeader, "the header's value has control characters (a newline, a tab, ...); they are never sent", what: name)
        }
    }

    /// Why a key cannot be sent (empty, too long, control characters), or `nil`.
    static func keyProblem(_ key: String) -> String? {
        if key.isEmpty { return "the idempotency key is empty; nothing was sent" }
        if key.utf8.count > maximumKeyLength {
            return "the idempotency key is over \(maximumKeyLength) bytes; nothing was sent"
        }
        if Text.hasControl(key) {
            return "the idempotency key \"\(Text.excerpt(key, limit: 80))\" has control characters and cannot be sent in a header; nothing was sent"
        }
        return nil
    }

    /// The text's UTF-8 bytes, each but `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_`, `~` written `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
