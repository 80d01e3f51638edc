#if canImport(FoundationEssentials)
import struct FoundationEssentials.URL
#else
import struct Foundation.URL
#endif

extension HTTPPostDeliverer {
    /// An `http` or `https` URL with a host, a port (if given) from 1 to 65535, no spaces or control characters.
    static func checkURL(_ url: String) throws(DeliveryError) {
        guard !url.isEmpty, !Text.hasControl(url), !url.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
            throw DeliveryError(.invalidURL, "the URL is empty or has spaces or control characters", what: url)
        }
        guard let parsed = URL(string: url) else {
            throw DeliveryError(.invalidURL, "the URL does not parse; give an http or https URL such as http://127.0.0.1:8080/deliveries", what: url)
        }
        guard let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw DeliveryError(.invalidURL, "only http and https URLs are delivered to", what: url)
        }
        guard let host = parsed.host, !host.isEmpty else {
            throw DeliveryError(.invalidURL, "the URL has no host", what: url)
        }
        if let port = parsed.port, !(1...65_535).contains(port) {
            throw DeliveryError(.invalidURL, "the port \(port) is not a port: a port is 1 to 65535", what: url)
        }
    }

    /// A name that is an HTTP token and not reserved; a value without control characters.
    static func checkHeader(name: String, value: String) throws(DeliveryError) {
        guard Text.isToken(name) else {
            throw DeliveryError(.invalidHeader, "a header name is letters, digits and !#$%&'*+-.^_`|~ only", what: name)
        }
        guard !reservedHeaders.contains(where: { $0.lowercased() == name.lowercased() }) else {
            throw DeliveryError(.invalidHeader, "the deliverer sets this header itself; leave it out", what: name)
        }
        guard !Text.hasControl(value) else {
            throw DeliveryError(.invalidHeader, "the header's value has control characters (a newline, a tab, ...); they are never sent", what: name)
        }
    }
}
