public import Crypto

/// Keys passed through the command line layer without it importing Crypto.
public struct Curve25519Key: @unchecked Sendable {
    public let key: Curve25519.Signing.PrivateKey
    public init(_ key: Curve25519.Signing.PrivateKey) { self.key = key }
}

public struct Curve25519PublicKey: @unchecked Sendable {
    public let key: Curve25519.Signing.PublicKey
    public init(_ key: Curve25519.Signing.PublicKey) { self.key = key }
}
