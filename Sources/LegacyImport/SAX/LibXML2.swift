internal import CLibXML2

/// Process-wide libxml2 set-up.
enum LibXML2 {
    /// Initialises libxml2 once and silences its default printing to stderr on this thread:
    /// every message reaches us through structured error callbacks instead.
    static func prepareThread() {
        xmlInitParser()
        purchaseactions_silence_generic_errors()
        xmlSetStructuredErrorFunc(nil, nil)
    }
}
