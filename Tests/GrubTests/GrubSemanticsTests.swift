// GRUB's behaviour where it differs from a shell or from what peers assumed, each case checked
// against real GRUB 2.06 (grub-oracle; see Tests/ConformanceTests/Fixtures for the recorded trees).

import BLS
import BootModel
@testable import Grub
import TestSupport
import Testing

/// Runs a config and returns what it printed (echo output, one string).
private func printed(_ config: String, files: [String: String] = [:]) -> String {
    let view = MemoryFileView(files.merging(["/boot/grub/grub.cfg": config]) { a, _ in a })
    let device = BootVolume(name: "hd0", uuid: GrubHarness.uuid, label: "boot", files: view)
    return GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: device).machine.outputText
}

@Suite struct GrubExpansionTests {
    @Test func unquotedValuesSplitButGlueToNeighbours() {
        // The blanks around a value do not separate it from the text next to it.
        let line = GrubHarness.commandLines("set lead=\" l\"\nset trail=\"t \"\nset a=\"x  y\"\nmenuentry e { linux /k A${lead} ${trail}B $lead$trail pre$a\"post\" }")
        #expect(line == ["Al tB lt prex ypost"])
    }

    @Test func quotesAlwaysMakeAnArgument() {
        #expect(GrubHarness.commandLines("menuentry e { linux /k \"$none\" x$none '' $none }") == [" x "])
        #expect(printed("function f { for x in \"$@\"; do echo \"[$x]\"; done; }\nf\nf a \"b c\"\n") == "[]\n[a]\n[b c]\n")
    }

    @Test func unquotedParameterListsSplitEveryParameter() {
        // As GRUB 2.06 (grub-oracle): each field of each parameter is an argument, empty ones
        // vanish, and the text around `$*` glues to the first and last field only.
        let config = "function f {\n for x in $@; do echo \"[$x]\"; done\n for x in x$*y; do echo \"<$x>\"; done\n}\nf a \"b  c\" \"\" d\n"
        #expect(printed(config) == "[a]\n[b]\n[c]\n[d]\n<xa>\n<b>\n<c>\n<dy>\n")
    }

    @Test func positionalParametersExistOnlyInFunctionsAndEntries() {
        #expect(printed("echo \"[$#] [$1] [$@]\"\nsetparams a b\necho \"[$1]\"\nfunction f { echo \"[$#] [$10] [$2]\"; }\nf 1 2 3 4 5 6 7 8 9 ten\n")
            == "[] [] []\n[]\n[10] [ten] [2]\n")
        #expect(GrubHarness.commandLines("menuentry 'T' x { shift; linux /k \"$1\" \"$#\" }") == ["x 1"])
    }

    @Test func rootDropsTheParenthesesOfADevice() {
        #expect(printed("set root=(hd0,gpt2)\necho $root\n") == "hd0,gpt2\n")
    }

    @Test func setTakesItsFirstArgumentAndUnsetToo() {
        #expect(printed("set a=1 b=2\nset c\nx=1 y=2\nunset a x\necho \"[$a] [$b] [$c] [$x] [$y]\"\n") == "[] [] [] [1] []\n")
    }
}

@Suite struct GrubBoundsTests {
    @Test func growingValuesStop() {
        // Doubling a value in a loop would need more memory than any machine has; GRUB runs out, Baton stops growing it.
        var options = GrubOptions()
        options.limits.steps = 5_000
        let config = "menuentry e { linux /k }\nx=ab\nwhile true; do x=\"$x$x\"; echo $x$x$x$x; done"
        let view = MemoryFileView(["/boot/grub/grub.cfg": config])
        let run = GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: BootVolume(name: "hd0", files: view), options: options)
        #expect((run.machine.variables["x"]?.utf8.count ?? 0) <= options.limits.valueBytes)
        #expect(run.machine.outputText.utf8.count <= options.limits.textBytes)
        #expect(run.configuration.entries.count == 1)
    }
}

@Suite struct GrubKernelCommandLineTests {
    @Test(arguments: [
        (["ro", "quiet"], "ro quiet"),
        (["a b", "c"], "\"a b\" c"),
        (["it's", "say=\"x\"", "back\\slash"], "it\\'s say=\\\"x\\\" back\\\\slash"),
        (["x", ""], "x "),
        (["", "x"], " x"),
        ([], ""),
        (["a \"b\"", "root=UUID=0123456789abcdef-long"], "\"a \\\"b\\\"\" root=UUID=0123456789abcdef-long"),
        (["title=café au lait", "ü"], "\"title=café au lait\" ü"),
    ])
    func grubQuotesAndEscapes(args: [String], line: String) {
        #expect(GrubCommands.kernelCommandLine(args[...]) == line)
    }
}

@Suite struct GrubFileNameTests {
    @Test func relativeNamesAreRefused() {
        let entry = GrubHarness.run("menuentry e { linux vmlinuz ro; initrd initrd.img }").entries[0]
        #expect(entry.kernel == nil)
        #expect(entry.unbootableReason != nil)
        #expect(GrubHarness.run("menuentry e { linux (hd0)vmlinuz }").entries[0].kernel == nil)
    }

    @Test func testLooksUpBareNamesInTheTopFolder() {
        let files = ["/marker": "x", "/boot/grub/x.txt": "x"]
        let config = """
            if [ -e marker ]; then echo bare; fi
            if [ -e boot/grub/x.txt ]; then echo relative; fi
            if [ -e "" ]; then echo device; fi
            if [ -s /boot ]; then echo dir-size; fi
            """
        #expect(printed(config, files: files) == "bare\ndevice\n")
    }
}

@Suite struct GrubLexingTests {
    @Test func aStrayDollarOrBraceDropsTheLine() {
        #expect(printed("echo a$\necho ${x-y}\necho \"$\"\necho c}d\necho ok\n") == "ok\n")
    }

    @Test func doubleBracketsAreNoWords() {
        #expect(printed("echo [[\necho ]]\necho time case esac select in function\n") == "time case esac select in function\n")
    }

    @Test func aBlockOpenedByMistakeSwallowsLinesUntilItFails() {
        // `{` starts a block: lines are read into it until `function` (not allowed there) fails.
        #expect(printed("echo x {a\necho lost\nfunction f { echo y; }\necho after\n") == "after\n")
    }

    @Test func carriageReturnsAndHashLines() {
        #expect(printed("echo \"a\r\n#hidden\nb\"\r\n") == "a\nb\n")
    }
}

@Suite struct GrubTestCommandTests {
    @Test(arguments: [
        ("[ ]", true), ("[ \"\" ]", false), ("[ = \"\" ]", false), ("[ -n ]", true),
        ("[ a = a -a b = c ]", false), ("[ a = b -o c = c ]", true), ("[ -e /nope -o a = a ]", true), ("[ -e /k -a a = b ]", false),
        ("[ ( a = b ) -o c = c ]", true), ("[ ! a = a ]", false), ("[ x", true),
        ("[ 010 -eq 8 ]", true), ("[ 0x10 -eq 16 ]", true), ("[ \" 5\" -eq 5 ]", true), ("[ 4294967296 -eq 0 ]", true), ("[ 9a -lt 10 ]", true),
        ("[ vmlinuz-10 -pgt vmlinuz-9 ]", true), ("[ 2 -plt 10 ]", true), ("[ a \\< b ]", true), ("[ /k -nt /nope ]", true),
    ])
    func expressions(expression: String, result: Bool) {
        #expect(printed("if \(expression); then echo T; else echo F; fi", files: ["/k": "k"]) == (result ? "T\n" : "F\n"))
    }
}

@Suite struct GrubEchoTests {
    @Test func optionsOnlyAtTheStart() {
        #expect(printed("echo a -n\necho -n b\necho -x c\necho -- -n d\necho -ne \"e\\n\"\n") == "a -n\nb-x c\n-n d\ne\n")
    }

    @Test func escapesWithDashE() {
        #expect(printed("echo -e 'a\\tb\\qc\\\\d\\ce'\necho x") == "a\tbc\\dex\n")
    }
}

@Suite struct GrubStatusTests {
    @Test func statusIsGrubsErrorNumber() {
        let config = """
            nosuchcommand
            echo "unknown [$?]"
            if ! nosuchcommand; then echo "inverted unknown T"; fi
            search --fs-uuid --set=x 00000000-0000-0000-0000-000000000000
            echo "search [$?]"
            if ! search --fs-uuid --set=x 00000000-0000-0000-0000-000000000000; then echo "inverted error T"; fi
            return
            echo "top return [$?]"
            function g { return; }
            false; g
            echo "bare return [$?]"
            while false; do true; done
            echo "while [$?]"
            """
        #expect(printed(config) == "unknown [0]\ninverted unknown T\nsearch [5]\ninverted error T\ntop return [18]\nbare return [1]\nwhile [1]\n")
    }

    @Test func breakCountsLoopsOfItsOwnFunction() {
        let config = """
            break
            function b { break; }
            for i in 1 2; do b; echo "i$i"; done
            for i in 1 2; do for j in 1 2; do if [ $j = 2 ]; then continue 2; fi; echo "$i$j"; done; done
            """
        #expect(printed(config) == "i1\ni2\n11\n21\n")
    }

    @Test func functionsOfAChunkExistBeforeItRuns() {
        #expect(printed("f; function f { echo defined; }\n") == "defined\n")
    }
}

@Suite struct GrubMenuSemanticsTests {
    @Test(arguments: [("2nd", 3), ("0x2", 3), (" 2", 3), ("5", 0), ("-1", 0), ("1>9", 1), ("a>>b", 4), ("Third >> x", 0), ("sub>in2", 2)])
    func defaults(spec: String, index: Int) {
        let config = """
            set default="\(spec)"
            menuentry First { linux /k }
            submenu Sub --id sub { menuentry "Inner 1" { linux /k }; menuentry "Inner 2" --id in2 { linux /k } }
            menuentry "Third >> x" { linux /k }
            menuentry "a>b" { linux /k }
            """
        #expect(GrubHarness.run(config).defaultIndex == index)
    }

    /// A default naming a submenu means its first entry, however deep; an empty submenu has none,
    /// and the first entry of the menu is used.
    @Test(arguments: [("Empty", 0), ("1", 0), ("1>0", 0), ("Outer", 1), ("2>0>0", 1), ("Outer>Inner", 1), ("3", 2), ("Last", 2)])
    func defaultsThroughSubmenus(spec: String, index: Int) {
        let config = """
            set default="\(spec)"
            menuentry First { linux /k }
            submenu Empty { true }
            submenu Outer { submenu Inner { menuentry Deep { linux /k } } }
            menuentry Last { linux /k }
            """
        let run = GrubHarness.run(config)
        #expect(run.entries.map(\.title) == ["First", "Outer > Inner > Deep", "Last"])
        #expect(run.defaultIndex == index)
    }

    @Test func chosenIsTheIdPath() {
        let config = """
            menuentry Plain { linux /k "$chosen" }
            submenu Sub --id sid { menuentry Inner --id iid { linux /k "$chosen" }; menuentry Other { linux /k "$chosen" } }
            """
        #expect(GrubHarness.commandLines(config) == ["Plain", "sid>iid", "sid>Other"])
    }

    @Test func chosenCanBeSetAndUnsetInsideAnEntry() {
        let config = """
            chosen=outside
            menuentry Set { set chosen=mine; linux /k "$chosen" }
            menuentry Unset { unset chosen; linux /k "x$chosen" }
            menuentry Assigned { chosen=assigned; linux /k "$chosen" }
            menuentry After { linux /k "$chosen" }
            """
        // As GRUB 2.06 (grub-oracle) does: a `chosen` left set by the configuration prefixes the id path.
        #expect(GrubHarness.commandLines(config) == ["mine", "x", "assigned", "outside>After"])
    }

    @Test func entriesThatGrubRefuses() {
        let config = """
            menuentry 'users' --users $unset --id x { linux /k }
            menuentry $unset { linux /k }
            menuentry 'bad' --foo { linux /k }
            menuentry 'no body'
            menuentry 'empty' { }
            menuentry 'ok' --unrestricted -- { linux /k }
            """
        #expect(GrubHarness.titles(config) == ["ok"])
    }

    @Test func configfileRunsInANewContext() {
        let files = ["/boot/grub/other.cfg": "echo \"[$plain] [$shared]\"\nset plain=changed\nmenuentry inner { linux /k }"]
        let view = MemoryFileView(files.merging(["/boot/grub/grub.cfg": ""]) { a, _ in a })
        let device = BootVolume(name: "hd0", files: view)
        let run = GrubConfig.run("set plain=p\nset shared=s\nexport shared\nconfigfile /boot/grub/other.cfg\necho \"[$plain]\"",
                                 path: "/boot/grub/grub.cfg", device: device)
        #expect(run.machine.outputText == "[] [s]\n[p]\n")
        #expect(run.configuration.entries.map(\.title) == ["inner"])
    }

    @Test func recursionStopsAtGrubsDepthAndEntriesStartAfresh() {
        let config = """
            function f { d="${d}x"; f; }
            f
            menuentry e { d=; f; linux /k "$d" }
            """
        let result = GrubHarness.run(config)
        // 62 nested commands: the top level uses two, each call two more; a failure leaks one level.
        #expect(result.entries[0].commandLine.count == 29)
        #expect(result.diagnostics.contains { $0.message.contains("maximum recursion depth") })
    }
}

@Suite struct GrubEnvironmentBlockTests {
    @Test func grubReadsBlocksItsOwnWay() {
        #expect(GrubEnvFile.block("saved_entry=x\n") == nil)
        let block = GrubEnvFile.block("# GRUB Environment Block\na=x\\ny\nb=c\\\\d\nnoequals\nz=1\n#c=2\nlast=no-newline")
        #expect(block?.map(\.name) == ["a", "b", "noequals\nz"])
        #expect(block?.map(\.value) == ["xny", "c\\d", "1"])
    }
}

@Suite struct GrubSearchSemanticsTests {
    @Test func searchNeedsATypeAndSetTakesTheNextWord() {
        let other = BootVolume(name: "sdb1", uuid: "u-2", label: "L2", files: MemoryFileView(["/x": ""]))
        let config = """
            search --set=a u-2
            search --set b --fs-uuid u-2
            search -s c -l L2
            search.fs_uuid u-2 d
            menuentry e { linux /k "[$a]" "[$b]" "[$c]" "[$d]" }
            """
        #expect(GrubHarness.run(config, others: [other]).entries[0].commandLine == "[] [sdb1] [sdb1] [sdb1]")
    }

    @Test func aFailedSearchLeavesTheVariableAndFilesWaitOnlyWhereGrubWouldFail() {
        let config = """
            set x=keep
            search --fs-uuid --set=x absent-uuid
            search --fs-uuid --set=root absent-uuid
            menuentry here { linux /here "$x" }
            menuentry elsewhere { linux /elsewhere }
            """
        let entries = GrubHarness.run(config, files: ["/here": "k"]).entries
        #expect(entries[0].commandLine == "keep")
        #expect(entries[0].kernel == BootFile("/here"))
        #expect(entries[1].kernel == BootFile("/elsewhere", on: .uuid("absent-uuid")))
    }

    @Test func probeGivesTheFilesystemGrubNames() {
        let device = BootVolume(name: "hd0", uuid: "u", label: "L", filesystem: "ext2", files: MemoryFileView([:]))
        let run = GrubConfig.run("probe --set=f --fs (hd0)\nprobe -u hd0 --set=u\necho \"$f $u\"", path: "/boot/grub/grub.cfg", device: device)
        #expect(run.machine.outputText == "ext2 u\n")
    }
}

@Suite struct GrubRegexTests {
    @Test(arguments: [
        ("^vmlinuz-(.*)$", "vmlinuz-6.1.0-13-amd64", "6.1.0-13-amd64"),
        ("^(.*)/", "/boot/vmlinuz", "/boot"),
        ("([0-9]+)\\.([0-9]+)", "v10.22", "10"),
        ("^(a|bc)+$", "abca", "a"),
        ("x{2,3}(y?)", "axxxy", "y"),
        ("[[:digit:]]+", "ab12", nil),
    ])
    func groupOne(pattern: String, text: String, group: String?) {
        let match = GrubRegex(pattern)?.match(text)
        #expect(match != nil)
        #expect(match.map { $0.count > 1 ? $0[1] : nil } == group)
    }

    @Test func noMatchAndBoundedWork() {
        #expect(GrubRegex("^[0-9]+$")?.match("12a") == nil)
        // Exponential for a backtracking matcher; linear here.
        let text = String(repeating: "a", count: 5000) + "b"
        #expect(GrubRegex("^(a*)*c$")?.match(text) == nil)
        #expect(GrubRegex("(") == nil)
        #expect(printed("regexp --set=1:v '^a(.)c$' abc\necho $v\nif regexp x y; then echo no; else echo yes; fi") == "b\nyes\n")
    }
}

/// Hostile `regexp` lines: each one trapped the reader or ran for seconds before its fix.
@Suite struct GrubRegexHostileTests {
    private func run(_ config: String, steps: Int = GrubLimits().steps) -> GrubConfig.Evaluation {
        var options = GrubOptions()
        options.limits.steps = steps
        let device = BootVolume(name: "hd0", files: MemoryFileView(["/boot/grub/grub.cfg": config]))
        return GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: device, options: options)
    }

    @Test(arguments: [
        // A negative, non-numeric or huge group number: GRUB refuses it (status 18), never indexes with it.
        ("regexp --set -1:x a a\necho $?", "18\n"),
        ("regexp --set=-1:x a a\necho $?", "18\n"),
        ("regexp --set x:q a a\necho $?", "18\n"),
        ("regexp --set 99999999999999999999999:y a a\necho $?", "18\n"),
        // A group the expression does not have, or that took no part, unsets the variable (as GRUB).
        ("set z=keep\nregexp --set 2:z '(a)' a\necho \"$? [$z]\"", "0 []\n"),
        ("set q=keep\nregexp --set 1:q '(b)?a' a\necho \"$? [$q]\"", "0 []\n"),
        // Bad intervals are bad expressions: a failed test (status 1), as gnulib's regcomp makes it.
        ("regexp 'a{-1}' a\necho $?", "1\n"),
        ("regexp 'a{2,1}' aa\necho $?", "1\n"),
        ("regexp 'a{}' a\necho $?", "1\n"),
        ("regexp 'a{1' a\necho $?", "1\n"),
        ("regexp 'a{+1}' a\necho $?", "1\n"),
        ("regexp 'a{ 1}' a\necho $?", "1\n"),
        ("regexp '[b-a]' a\necho $?", "1\n"),
        ("regexp '[[:nosuch:]]' a\necho $?", "1\n"),
        ("regexp --set 0:w 'a{,2}' aa\necho \"$? $w\"", "0 aa\n"),
        ("regexp --set 0:w 'a{0}b' b\necho \"$? $w\"", "0 b\n"),
    ])
    func refusedOrAnsweredAsGrubDoes(config: String, output: String) {
        #expect(run(config).machine.outputText == output)
    }

    @Test func wideBracketRangesAreTwoNumbers() throws {
        // 190 ranges of 36 000 characters each: they were inserted into a set one by one.
        let ranges = (0..<190).map { i in "[\(Character(Unicode.Scalar(0x100 + i)!))-\(Character(Unicode.Scalar(0x9000 - i)!))]" }.joined()
        let regex = try #require(GrubRegex(ranges))
        let text = String(repeating: "\u{4E00}", count: 190)
        #expect(regex.match(text) != nil)
        #expect(regex.match(String(repeating: "a", count: 190)) == nil)
        #expect(regex.compileCost < 2_000)
    }

    @Test func matchingIsChargedToTheBudget() {
        // A 300-instruction program over a 9 000-character text, 200 times: billions of steps
        // unmetered. Metered, the budget runs out and the rest of the configuration is not run.
        let text = String(repeating: "a", count: 9_000) + "!"
        let config = """
            for i in 1 2 3 4 5 6 7 8 9 10; do for j in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
            regexp '([a-z]{1,100})([a-z]{1,100})([a-z]{1,100})$' '\(text)'
            done; done
            echo finished
            """
        let evaluation = run(config)
        #expect(!evaluation.machine.outputText.contains("finished"))
        #expect(evaluation.machine.diagnostics.all.contains { $0.message.contains("work limit reached") })
        // The same expression on a short text is cheap and runs to the end.
        #expect(run(config.replacingOccurrences(of: text, with: "abc")).machine.outputText == "finished\n")
    }

    @Test func meteredMatchStopsWhenItsWorkRunsOut() throws {
        let regex = try #require(GrubRegex("(a|aa)*b"))
        var work = 100
        #expect(regex.match(String(repeating: "a", count: 5_000), work: &work) == .tooCostly)
        #expect(work == 0)
        var plenty = Int.max
        #expect(regex.match("aab", work: &plenty) == .matched(["aab", "a"]))
    }
}

/// Configurations that ran without end or overflowed the stack before their fixes.
@Suite struct GrubWorkBoundTests {
    private func run(_ config: String, files: [String: String] = [:]) -> GrubConfig.Evaluation {
        let device = BootVolume(name: "hd0", files: MemoryFileView(files.merging(["/boot/grub/grub.cfg": config]) { a, _ in a }))
        return GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: device)
    }

    @Test func aLoopAtTheNestingLimitStillSpendsItsBudget() {
        // The loop's condition and body are refused for depth, status stays 0: it spun forever.
        let evaluation = run("function f { f; while true; do true; done; }\nf\necho after")
        #expect(evaluation.machine.diagnostics.all.contains { $0.message.contains("work limit reached") })
    }

    @Test func anEntryThatReadsItsOwnConfigurationAgainNestsABoundedDepth() {
        let config = "menuentry 'Back to the main menu' { configfile /boot/grub/grub.cfg }\nmenuentry Linux { linux /vmlinuz }"
        let evaluation = run(config)
        #expect(evaluation.machine.diagnostics.all.contains { $0.message.contains("submenus nested deeper than 16 levels") })
        #expect(evaluation.configuration.entries.contains { $0.title == "Linux" })
    }

    @Test func blscfgInALoopStopsAtTheEntryLimit() {
        var files: [String: String] = [:]
        for n in 0..<50 { files["/loader/entries/\(n).conf"] = "title E\(n)\nlinux /vmlinuz\n" }
        var options = GrubOptions()
        options.limits.menuEntries = 200
        options.limits.steps = 20_000
        let config = "while true; do blscfg; done"
        let device = BootVolume(name: "hd0", files: MemoryFileView(files.merging(["/boot/grub/grub.cfg": config]) { a, _ in a }))
        let evaluation = GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: device, options: options)
        #expect(evaluation.configuration.entries.count <= 200)
        #expect(evaluation.machine.diagnostics.all.contains { $0.message.contains("more than 200 menu entries") })
    }

    @Test func sourcingABigFileCostsItsSize() {
        // 100 KB parsed per step of the loop: charged by its bytes, the budget ends it within
        // a few rounds.
        let big = "if false; then\n" + String(repeating: "a\n", count: 50_000) + "fi\n"
        let config = "while true; do source /boot/grub/big.cfg; echo round; done"
        var options = GrubOptions()
        options.limits.steps = 20_000
        let device = BootVolume(name: "hd0", files: MemoryFileView(["/boot/grub/grub.cfg": config, "/boot/grub/big.cfg": big]))
        let evaluation = GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: device, options: options)
        #expect(evaluation.machine.diagnostics.all.contains { $0.message.contains("work limit reached") })
        #expect(evaluation.machine.outputText.split(separator: "\n").count < 10)
    }

    @Test func blscfgOfABigEntryFileCostsItsSize() {
        // An entry file of 100 KB with no `linux` line never becomes an entry, so only its
        // bytes can stop the loop: charged by size, the budget ends it within a few rounds.
        let big = String(repeating: "options a\n", count: 10_000)
        let config = "while true; do blscfg; echo round; done"
        var options = GrubOptions()
        options.limits.steps = 20_000
        let device = BootVolume(name: "hd0", files: MemoryFileView(["/boot/grub/grub.cfg": config, "/loader/entries/a.conf": big]))
        let evaluation = GrubConfig.run(config, path: "/boot/grub/grub.cfg", device: device, options: options)
        #expect(evaluation.machine.diagnostics.all.contains { $0.message.contains("work limit reached") })
        #expect(evaluation.machine.outputText.split(separator: "\n").count < 10)
    }
}

@Suite struct EntryLimitTests {
    @Test func grubStopsDefiningEntriesAtTheLimitAndSaysSoOnce() {
        var options = GrubOptions()
        options.limits.menuEntries = 5
        let config = (0..<8).map { "menuentry 'E\($0)' { linux /vmlinuz }" }.joined(separator: "\n")
        let result = GrubHarness.run(config, options: options)
        #expect(result.entries.map(\.title) == ["E0", "E1", "E2", "E3", "E4"])
        let warnings = result.diagnostics.filter { $0.message.contains("more than 5 menu entries") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.location.line == 6)
    }

    @Test func blsReadsAtMostItsLimitOfEntryFiles() {
        var files: [String: String] = [:]
        for n in 0..<(BLSEntry.maxEntries + 3) { files["/loader/entries/e\(n).conf"] = "title E\(n)\nlinux /vmlinuz-\(n)\n" }
        let read = BLSEntry.entries(in: "/loader/entries", of: MemoryFileView(files))
        #expect(read.entries.count == BLSEntry.maxEntries)
        #expect(read.diagnostics.contains { $0.message.contains("more than \(BLSEntry.maxEntries) entries") })
    }
}

/// Whether a configuration looked beyond its own device decides whether Discovery reads it again
/// when devices come or go.
@Suite struct GrubDeviceUseTests {
    @Test func aConfigurationOnItsOwnDeviceDoesNotDependOnOthers() {
        #expect(!GrubHarness.run("set root=(hd0,gpt2)\nmenuentry A { linux /vmlinuz; initrd ($root)/initrd.img }\n").consultsOtherDevices)
    }

    @Test func searchAndOtherDevicesMakeItDepend() {
        let other = BootVolume(name: "vdb1", uuid: "1234-5678", files: MemoryFileView(["/vmlinuz": "k"]))
        #expect(GrubHarness.run("search --fs-uuid --set=root 1234-5678\nmenuentry A { linux /vmlinuz }\n", others: [other]).consultsOtherDevices)
        #expect(GrubHarness.run("search --file --set=root /nowhere\n").consultsOtherDevices)
        #expect(GrubHarness.run("menuentry A { linux (vdb1)/vmlinuz }\n", others: [other]).consultsOtherDevices)
        #expect(GrubHarness.run("menuentry A { linux (UUID=abcd)/vmlinuz }\n").consultsOtherDevices)
    }
}

@Suite struct GrubByteSplitTests {
    @Test func assignmentsSplitAtTheFirstEqualsByte() {
        // GRUB splits bytes: an '=' that a combining accent follows still splits.
        #expect(GrubArgv.split("a=\u{301}b=c", at: UInt8(ascii: "=")).map { [$0.0, $0.1] } == ["a", "\u{301}b=c"])
        #expect(GrubArgv.split("--id=x", at: UInt8(ascii: "=")).map { [$0.0, $0.1] } == ["--id", "x"])
        #expect(GrubArgv.split("plain", at: UInt8(ascii: "=")) == nil)
        #expect(GrubHarness.commandLines("v=\u{301}x\nmenuentry A { linux /k \"$v\" }") == ["\u{301}x"])
    }

    @Test func bytesAreFoundInPlace() {
        let long = "ümlaut-and-more-than-fifteen-bytes=value"
        #expect(long.firstIndex(ofByte: UInt8(ascii: "=")).map { String(long[..<$0]) } == "ümlaut-and-more-than-fifteen-bytes")
        #expect("short=x".firstIndex(ofByte: UInt8(ascii: "=")).map { "short=x".utf8.distance(from: "short=x".startIndex, to: $0) } == 5)
        #expect("none".firstIndex(ofByte: UInt8(ascii: "=")) == nil)
        #expect("a\tb".containsByte(where: GrubArgv.isBlank) && !"ab".containsByte(where: GrubArgv.isBlank))
    }

    @Test func uuidsCompareAsGrubDoesIgnoringASCIICase() {
        #expect("E3E409B8-b160".equalsIgnoringASCIICase("e3e409b8-B160"))
        #expect(!"e3e409b8".equalsIgnoringASCIICase("e3e409b9") && !"abc".equalsIgnoringASCIICase("abcd"))
        // grub_strcasecmp folds ASCII letters only.
        #expect(!"É".equalsIgnoringASCIICase("é"))
        let other = BootVolume(name: "vdb1", uuid: "ABCD-1234", files: MemoryFileView(["/vmlinuz": "k"]))
        #expect(GrubHarness.run("search --fs-uuid --set=root abcd-1234\nmenuentry A { linux /vmlinuz }\n", others: [other]).entries.first?.kernel == BootFile("/vmlinuz", on: .named("vdb1")))
    }
}

/// GRUB booted over the network: `(tftp)`, `(tftp,SERVER)`, `(http,SERVER)` and `$net_default_server`.
@Suite struct GrubNetworkDeviceTests {
    @Test func networkDevicesNameServers() {
        let config = """
            menuentry own { linux (tftp)/vmlinuz; initrd ($root)/initrd.img }
            menuentry named { linux (tftp,192.0.2.1)/boot/vmlinuz }
            menuentry other { linux (http,192.0.2.9:8080)/vmlinuz; initrd (tftp,192.0.2.9)/initrd }
            menuentry prefixed { linux $prefix/../vmlinuz }
            """
        let view = MemoryFileView(["/grub/grub.cfg": config])
        let device = BootVolume(name: "tftp,192.0.2.1", files: view)
        var options = GrubOptions()
        options.variables = ["net_default_server": "192.0.2.1"]
        let entries = GrubConfig.evaluate(config, path: "/grub/grub.cfg", device: device, options: options).entries
        #expect(entries.map { $0.kernel?.device } == [.configDevice, .configDevice, .server("http://192.0.2.9:8080"), .configDevice])
        #expect(entries.map { $0.kernel?.path } == ["/vmlinuz", "/boot/vmlinuz", "/vmlinuz", "/vmlinuz"])
        #expect(entries[0].initrds == [BootFile("/initrd.img")])
        #expect(entries[2].initrds == [BootFile("/initrd", on: .server("tftp://192.0.2.9"))])
    }
}
