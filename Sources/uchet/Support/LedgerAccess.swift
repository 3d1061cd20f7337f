import ArgumentParser
import Ledger
import Pipeline
#if canImport(Glibc)
    import Glibc
#endif

/// Who does something a person decides: `--by`, else the login name.
enum Person {
    static func name(_ given: String?) -> String {
        if let given, !given.allSatisfy(\.isWhitespace) { return given }
        if let user = getenv("USER").map({ String(cString: $0) }), !user.isEmpty { return user }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}

/// The ledger for the commands that change it by a person's word.
enum LedgerAccess {
    /// The workspace's ledger; one that does not exist yet is a usage error (nothing to act on).
    static func open(_ workspace: Workspace) throws -> Ledger {
        guard access(workspace.settings.ledger, F_OK) == 0 else {
            throw Failure(
                ValidationError("учёт пуст: \(Workspace.relative(workspace.settings.ledger, to: workspace.settings.folder)) ещё не создан; сначала uchet run"),
                status: .usage)
        }
        do { return try Ledger(path: workspace.settings.ledger) } catch { throw Failure(error, status: .internalFailure) }
    }

    /// Runs a ledger change: a refusal is a usage error (exit 2, nothing changed), anything else uchet's own.
    static func refusing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let refusal as LedgerRefusal {
            throw Failure(refusal, status: .usage)
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }

    /// Writes the outputs of the students a change asked for (dossiers, attestat workbooks), as a run's emit does.
    static func emitPending(_ workspace: Workspace, _ ledger: Ledger) async throws {
        _ = try workspace.attestatRules()
        do {
            let context = EmitContext(ledger: ledger, policy: workspace.policy, settings: workspace.settings, runID: "decision")
            let written = try await ledger.withOutputsLock {
                let pending = try ledger.pendingEmits()
                guard !pending.isEmpty else { return [String]() }
                var lines: [String] = []
                for emitter in Emitters.all {
                    let count = try await emitter.emit(students: pending.students, context: context)
                    lines.append("\(emitter.name) \(count)")
                }
                try ledger.clearPending(pending)
                return lines
            }
            if !written.isEmpty { print("Выпущено заново: " + written.joined(separator: ", ")) }
        } catch {
            throw Failure(error, status: .internalFailure)
        }
    }
}
