import StrictJSON
#if canImport(Glibc)
    import Glibc
#endif

/// Buffered writes to standard output, for commands that print a lot.
final class Output {
    private var buffer: [UInt8] = []
    private let fd: Int32

    init(fd: Int32 = 1) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func line(_ text: String) {
        write(text)
        buffer.append(0x0A)
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if errno == EINTR { continue }
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Prints to standard error at once.
func printError(_ text: String) {
    var line = Array((text + "\n").utf8)[...]
    while !line.isEmpty {
        let n = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return }
        line = line.dropFirst(n)
    }
}

/// JSON text, for the machine-readable outputs: StrictJSON's writer, by its short names here.
enum JSON {
    /// A JSON string literal, quotes included.
    static func string(_ s: String) -> String { JSONValue.quoted(s) }

    /// A JSON number: integers without a fraction, others in the shortest form that reads back exactly.
    static func number(_ n: Double) -> String { JSONValue.numberText(n) }
}
