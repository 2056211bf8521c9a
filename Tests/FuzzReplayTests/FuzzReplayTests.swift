// Every input the fuzzers or the hostile-input work found, kept in Tests/Fuzz/TARGET/, run
// through the same target function libFuzzer runs: a trap or a hang there fails this run.

import Foundation
import Testing
import FuzzTargets

@Suite struct FuzzReplayTests {
    /// Tests/Fuzz, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func folders() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
    }

    @Test func everyFolderIsATargetAndHoldsInputs() {
        let folders = Self.folders()
        #expect(folders.contains("grub") && folders.contains("modules"), "no regression inputs under \(Self.root.path)")
        for folder in folders {
            #expect(FuzzTargets.names.contains(folder), "Tests/Fuzz/\(folder) names no fuzz target")
            let inputs = (try? FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(folder).path)) ?? []
            #expect(!inputs.isEmpty, "Tests/Fuzz/\(folder) is empty")
        }
    }

    @Test func everyTargetHasADictionary() {
        for target in FuzzTargets.names {
            let dictionary = Self.root.appendingPathComponent("\(target).dict").path
            let text = (try? String(contentsOfFile: dictionary, encoding: .utf8)) ?? ""
            let entries = text.split(separator: "\n").filter { $0.hasPrefix("\"") && $0.hasSuffix("\"") }
            #expect(entries.count >= 10, "Tests/Fuzz/\(target).dict has \(entries.count) entries")
        }
    }

    @Test(arguments: folders())
    func replays(target: String) throws {
        let folder = Self.root.appendingPathComponent(target)
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        for input in inputs {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(input)))
            // A trap ends the test process, which fails the run; a hang times the run out.
            FuzzTargets.run(target, bytes)
        }
        #expect(!inputs.isEmpty)
    }
}
