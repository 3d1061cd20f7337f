import Archive
import FileIO
import Foundation
import TestSupport
import Testing

/// The school's key pair: made once, owner-only, never replaced, read back;
/// a file that is not such a key is told apart from a missing one.
@Suite struct SchoolKeyTests {
    @Test func aKeyIsMadeOnceReadBackAndNeverReplaced() throws {
        let dir = TemporaryDirectory()
        let folder = dir.file("keys")
        let fingerprint = try SchoolKey.create(in: folder)
        #expect(fingerprint.hasPrefix("SHA256:"))
        var info = stat()
        #expect(stat(folder + "/" + SchoolKey.privateName, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let key = try SchoolKey.loadPrivate(folder: folder)
        let publicKey = try SchoolKey.loadPublic(path: folder + "/" + SchoolKey.publicName)
        #expect(SchoolKey.fingerprint(publicKey) == fingerprint)
        #expect(SchoolKey.fingerprint(key.publicKey) == fingerprint)
        #expect(throws: ArchiveError.keyExists(path: folder + "/" + SchoolKey.privateName)) { _ = try SchoolKey.create(in: folder) }
        #expect(SchoolKey.fingerprint(try SchoolKey.loadPrivate(folder: folder).publicKey) == fingerprint)
    }

    @Test func aMissingKeyAndAFileThatIsNoKeyAreToldApart() throws {
        let dir = TemporaryDirectory()
        #expect(throws: ArchiveError.noPrivateKey(path: dir.file("none") + "/" + SchoolKey.privateName)) {
            _ = try SchoolKey.loadPrivate(folder: dir.file("none"))
        }
        try dir.write("bad/" + SchoolKey.privateName, text: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        #expect(throws: ArchiveError.notPrivateKey(path: dir.file("bad") + "/" + SchoolKey.privateName)) {
            _ = try SchoolKey.loadPrivate(folder: dir.file("bad"))
        }
        try dir.write("text.pem", text: "не ключ")
        #expect(throws: ArchiveError.notPEM(path: dir.file("text.pem"), label: "PUBLIC KEY")) { _ = try SchoolKey.loadPublic(path: dir.file("text.pem")) }
    }
}
