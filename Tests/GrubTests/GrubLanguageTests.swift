// Tests for the GRUB script language: lexing, parsing, expansion, control flow and functions.

import BootConfig
import BootModel
@testable import Grub
import TestSupport
import Testing

@Suite struct GrubLexerTests {
    func words(_ text: String) -> [[GrubWordPart]] {
        GrubLexer.tokens(text).compactMap { token in
            if case .word(let word) = token.kind { return Array(word.parts) }
            return nil
        }
    }

    @Test func quotesEscapesAndVariablesStayAsParts() {
        #expect(words(#"a'b c'"$x d"\ e ${y}z"#) == [
            [.text("a", quoted: false), .text("b c", quoted: true), .variable("x", quoted: true), .text(" d ", quoted: true), .text("e", quoted: false)],
            [.variable("y", quoted: false), .text("z", quoted: false)],
        ])
    }

    @Test func bracesSemicolonsAndNewlinesAreTokens() {
        let kinds = GrubLexer.tokens("menuentry x {a;b}\n").map(\.kind)
        #expect(kinds.count == 8)
        #expect(kinds[2] == .leftBrace && kinds[4] == .semicolon && kinds[6] == .rightBrace && kinds[7] == .newline)
    }

    /// A token's offsets span it as written, from its first byte, whatever starts it.
    @Test func tokenOffsetsSpanTheWordAsWritten() {
        let text = "plain 'q'x \\e $v ${w}z {"
        let spans = GrubLexer.tokens(text).map { String(decoding: Array(text.utf8)[$0.start..<$0.end], as: UTF8.self) }
        #expect(spans == ["plain", "'q'x", "\\e", "$v", "${w}z", "{"])
    }

    @Test func commentsOnlyAtWordStartAndContinuations() {
        #expect(words("a#b # c\nd \\\n e") == [[.text("a#b", quoted: false)], [.text("d", quoted: false)], [.text("e", quoted: false)]])
        #expect(GrubLexer.tokens("a \\\n b\nc").last?.line == 3)
    }

    @Test func dollarMustStartAVariable() {
        // GRUB's lexer rejects a `$` that starts no variable, quoted or not, and `${…}` holding anything but a name.
        #expect(words("$1 $? ${ab} $10x") == [
            [.variable("1", quoted: false)], [.variable("?", quoted: false)], [.variable("ab", quoted: false)],
            [.variable("10", quoted: false), .text("x", quoted: false)],
        ])
        for bad in ["a$", "$-", "\"$\"", "${a-b}", "${a:-b}"] {
            #expect(GrubLexer.tokens(bad).contains { if case .invalid = $0.kind { true } else { false } }, "\(bad)")
        }
    }

    @Test func filesDropCarriageReturnsAndHashLines() {
        let words = GrubLexer.tokens("'a\r\n#b\n  #c'\n", file: true).compactMap { token -> [GrubWordPart]? in
            if case .word(let word) = token.kind { return Array(word.parts) }
            return nil
        }
        #expect(words == [[.text("a\n  #c", quoted: true)]])
        #expect(GrubLexer.tokens("'a\n#b\nc'", file: true).last?.endLine == 3)
    }

    @Test func nonASCIIPassesThroughAndEscapesKeepWholeCharacters() {
        #expect(words("é\\ü 'ß' \"€$x\"") == [
            [.text("é", quoted: false), .text("ü", quoted: true)], [.text("ß", quoted: true)], [.text("€", quoted: true), .variable("x", quoted: true)],
        ])
    }

    @Test func countingTokensLexesAsTokensDoes() {
        let text = "menuentry 'a b' {\r\n linux /k $x\\\n y\n#c\n}; && ;;\n"
        #expect(GrubLexer.countTokens(text, file: true) == GrubLexer.tokens(text, file: true).count)
        #expect(GrubLexer.countTokens(text) == 16)  // without `file`, the CR is a word of its own
    }

    @Test func carriageReturnsAreFoundAtEveryOffset() {
        // The search looks at eight bytes at a time, then at the rest one by one.
        for length in 0...20 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            #expect(!GrubLexer.contains(plain, UInt8(ascii: "\r")))
            for at in 0..<length {
                var bytes = plain
                bytes[at] = UInt8(ascii: "\r")
                #expect(GrubLexer.contains(bytes, UInt8(ascii: "\r")), "length \(length), at \(at)")
                bytes[at] = 0x8D  // a byte that differs from `\r` in its top bit only
                #expect(!GrubLexer.contains(bytes, UInt8(ascii: "\r")), "length \(length), at \(at)")
            }
        }
    }

    @Test func prefixTestsCompareBytes() {
        #expect("--set=root".hasBytePrefix("--set="))
        #expect(!"--se".hasBytePrefix("--set=") && !"--sat=x".hasBytePrefix("--set="))
        // GRUB compares bytes: a dash followed by a combining accent still starts an option.
        #expect("-\u{301}x".hasBytePrefix("-") && !"-\u{301}x".hasPrefix("-"))
        #expect("-n".startsWithDash && !"".startsWithDash && !"n-".startsWithDash)
    }

    @Test func keywordsAreKnownByTheirBytesOnly() {
        for keyword in GrubParser.Keyword.allCases {
            let bytes = Array(keyword.rawValue.utf8)
            #expect(GrubParser.Keyword(bytes: bytes[...]) == keyword)
            // One letter more, one less, or another last letter: not a keyword.
            #expect(GrubParser.Keyword(bytes: (bytes + [UInt8(ascii: "s")])[...]) == nil)
            #expect(GrubParser.Keyword(bytes: bytes.dropLast()) == nil)
            #expect(GrubParser.Keyword(bytes: (bytes.dropLast() + [UInt8(ascii: "X")])[...]) == nil)
        }
        #expect(GrubParser.Keyword(bytes: Array("If".utf8)[...]) == nil && GrubParser.Keyword(bytes: Array("functions".utf8)[...]) == nil)
    }

    @Test func emptyQuotesAreAnEmptyWord() {
        #expect(words("'' \"\"") == [[.text("", quoted: true)], [.text("", quoted: true)]])
    }
}

@Suite struct GrubParserTests {
    @Test func parsesNestedStructures() {
        let script = GrubParser.parse("""
            if [ a ]; then
              for x in 1 2; do echo $x; done
            elif true; then while false; do :; done
            else
              echo "f"
            fi
            function f { return 1; }
            submenu 'S' { menuentry "E" --id e { linux /k; } }
            """, file: "/g.cfg")
        #expect(script.diagnostics.isEmpty)
        #expect(script.statements.count == 3)
        #expect(script.chunks.count == 3)
        guard case .conditional(let clauses, let otherwise, _) = script.statements[0] else {
            Issue.record("expected an if")
            return
        }
        #expect(clauses.count == 2)
        #expect(otherwise?.count == 1)
        #expect(script.statements[2].printed().contains("  menuentry 'E' --id e {"))
    }

    @Test func functionsOnlyAtTheTopLevelAndBodiesNeedADelimiter() {
        // GRUB's grammar: `function` is a statement of a file, not a command of a block; a function
        // body ends with `;` or a new line before its `}`; `{ }` must hold a command.
        #expect(GrubParser.parse("if true; then function f { a; }; fi", file: "/g.cfg").chunks.isEmpty)
        #expect(GrubParser.parse("function f { a }", file: "/g.cfg").chunks.isEmpty)
        #expect(GrubParser.parse("menuentry x { }", file: "/g.cfg").chunks.isEmpty)
        #expect(GrubParser.parse("menuentry x { a }", file: "/g.cfg").chunks.count == 1)
        #expect(GrubParser.parse("if true; then a; ; fi", file: "/g.cfg").chunks.isEmpty)
        #expect(GrubParser.parse("echo [[", file: "/g.cfg").chunks.isEmpty)
    }

    @Test func aSyntaxErrorDropsTheWholeChunk() {
        // One line is one chunk; an open block pulls in the lines until it closes or fails.
        let script = GrubParser.parse("echo a; echo b }\necho c {x\necho d\nfunction g { e; }\necho f\n", file: "/g.cfg")
        #expect(script.statements.map { $0.printed() } == ["echo f  # 5"])
        #expect(script.diagnostics.map(\.location.line) == [1, 4])
    }

    @Test func blockBodiesAreChunkedByLine() {
        let script = GrubParser.parse("menuentry x {\n  linux /k; initrd /i\n  if a; then\n b\n fi; c\n d\n}", file: "/g.cfg")
        guard case .command(_, let block?, _)? = script.statements.first else {
            Issue.record("expected a command with a block")
            return
        }
        #expect(block.chunks.map(\.count) == [2, 2, 1])
        #expect(block.source.hasPrefix("\n  linux /k;"))
    }

    @Test func keywordsAreArgumentsAfterTheCommandName() {
        let script = GrubParser.parse("echo if then fi done", file: "/g.cfg")
        #expect(script.diagnostics.isEmpty)
        #expect(script.statements.count == 1)
    }

    @Test func syntaxErrorsAreReportedAndParsingResumes() {
        let script = GrubParser.parse("echo a && echo b\nfi\nif true; then\nmenuentry 'ok' { linux /k }\n", file: "/g.cfg")
        #expect(script.diagnostics.map(\.location.line) == [1, 2, 4])
        #expect(script.diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func deepNestingIsBounded() {
        let text = String(repeating: "if true; then ", count: 5000) + String(repeating: "fi; ", count: 5000)
        let script = GrubParser.parse(text, file: "/g.cfg")
        #expect(!script.diagnostics.isEmpty)
    }
}

@Suite struct GrubEvaluationTests {
    @Test func unquotedVariablesSplitQuotedOnesDoNot() {
        let config = """
            set opts="ro  quiet"
            menuentry a { linux /k $opts "$opts" x$empty "" }
            """
        let entry = GrubHarness.run(config).entries[0]
        // GRUB quotes an argument holding a space on the kernel command line.
        #expect(entry.commandLine == "ro quiet \"ro  quiet\" x ")
    }

    @Test func bareAssignmentAndExport() {
        #expect(GrubHarness.commandLines("opt=--id\nmenuentry a $opt ida { linux /k $2 $chosen }") == ["ida"])
    }

    @Test func functionsTakePositionalParameters() {
        let config = """
            function args { set joined="$1-$2-$#"; }
            args one two
            menuentry a { linux /k $joined }
            """
        #expect(GrubHarness.commandLines(config) == ["one-two-2"])
    }

    @Test func menuentryArgumentsArePositionalAfterTheTitle() {
        #expect(GrubHarness.commandLines("menuentry 'T' --class x extra1 extra2 { linux /k $1 $2 $3 $# }") == ["T extra1 extra2 3"])
    }

    @Test func conditionalsLoopsAndTests() {
        let config = """
            set n=
            for v in a b c; do
              if [ "$v" = b ]; then continue; fi
              set list="$list$v"
            done
            while [ "$n" != xxx ]; do n="${n}x"; done
            if [ -z "$unset" -a -n "$list" ] && true; then bad=1; fi
            if ! [ $n = xxx ]; then set n=wrong; elif [ x$n != xxxx ]; then set n=wrong2; else set ok=yes; fi
            menuentry a { linux /k $list $n $ok $bad }
            """
        let result = GrubHarness.run(config)
        #expect(result.entries.first?.commandLine == "ac xxx yes")
        #expect(result.diagnostics.count == 1)  // `&&` is not GRUB
    }

    @Test func fileTestsSeeTheDeviceFiles() {
        let config = """
            if [ -f /boot/vmlinuz ]; then a=f; fi
            if [ -d /boot ]; then b=d; fi
            if [ -e /nope ]; then c=e; fi
            if [ -s /boot/empty ]; then d=s; fi
            menuentry a { linux /boot/vmlinuz $a$b$c$d }
            """
        #expect(GrubHarness.commandLines(config, files: ["/boot/vmlinuz": "k", "/boot/empty": ""]) == ["fd"])
    }

    @Test func entryBodiesSeeTheFinalStateAndDoNotLeak() {
        let config = """
            menuentry one { set x=changed; linux /k $x }
            menuentry two { linux /k $x }
            set x=final
            """
        #expect(GrubHarness.commandLines(config) == ["changed", "final"])
    }

    @Test func submenusSeeOnlyExportedVariables() {
        let config = """
            set plain=p
            set shared=s
            export shared
            submenu 'Sub' { menuentry 'In' { linux /k $plain$shared } }
            """
        let entries = GrubHarness.run(config).entries
        #expect(entries.map(\.title) == ["Sub > In"])
        #expect(entries.map(\.commandLine) == ["s"])
    }

    @Test func everyInitrdInOrderAndDevicePrefixes() {
        let config = """
            menuentry a {
              search --no-floppy --fs-uuid --set=root 99999999-0000
              linux /vmlinuz root=x
              initrd /intel-ucode.img (sda1)/initramfs.img (hd0,gpt2)/third
            }
            """
        let other = BootVolume(name: "sdb2", uuid: "99999999-0000", files: MemoryFileView(["/vmlinuz": ""]))
        let entry = GrubHarness.run(config, others: [other]).entries[0]
        #expect(entry.kernel == BootFile("/vmlinuz", on: .named("sdb2")))
        #expect(entry.initrds == [BootFile("/intel-ucode.img", on: .named("sdb2")), BootFile("/initramfs.img"), BootFile("/third")])
    }

    @Test func searchForAMissingDeviceWaitsForIt() {
        let config = "search --fs-uuid --set=root abcd-1234\nmenuentry a { linux /vmlinuz }"
        #expect(GrubHarness.run(config).entries[0].kernel == BootFile("/vmlinuz", on: .uuid("abcd-1234")))
    }

    @Test func searchByFileAndLabel() {
        let other = BootVolume(name: "vdb1", label: "DATA", files: MemoryFileView(["/marker": "x"]))
        let config = """
            search --file --set=a /marker
            search --label --set=b DATA
            search.fs_label boot c
            menuentry a { linux /k $a $b $c }
            """
        #expect(GrubHarness.run(config, others: [other]).entries[0].commandLine == "vdb1 vdb1 sda1")
    }

    /// Hints say where to look first and change nothing here: `-h` and the `--hint…` options
    /// named alone take the next word; `--hint…=VALUE` takes none.
    @Test func searchSkipsItsHints() {
        let other = BootVolume(name: "vdb1", uuid: "1234-abcd", files: MemoryFileView([:]))
        let config = """
            search --no-floppy --fs-uuid --set=a -h hd0 --hint hd1 --hint-bios=hd0,gpt2 --hint-efi hd2 1234-abcd
            menuentry a { linux /k $a }
            """
        #expect(GrubHarness.run(config, others: [other]).entries[0].commandLine == "vdb1")
    }

    @Test func loadEnvReadsGrubenvWithWhitelist() {
        let env = "# GRUB Environment Block\nsaved_entry=two\nkernelopts=root=/dev/x ro\nother=1\n" + String(repeating: "#", count: 900)
        let second = "# GRUB Environment Block\nkernelopts=changed\nextra=no\n"
        let config = """
            load_env
            load_env -f /boot/grub/second kernelopts
            set default="${saved_entry}"
            menuentry one --id one { linux /k }
            menuentry two --id two { linux /k $kernelopts $other $extra }
            """
        let result = GrubHarness.run(config + "\nload_env -f /boot/grub/unsigned", files: ["/boot/grub/grubenv": env, "/boot/grub/second": second, "/boot/grub/unsigned": "extra=no\n"])
        #expect(result.defaultIndex == 1)
        #expect(result.entries[1].commandLine == "changed 1")
        // A file without the signature line is no environment block to GRUB.
        #expect(result.diagnostics.contains { $0.message.contains("not a GRUB environment block") })
    }

    @Test func sourceAndConfigfile() {
        let files = [
            "/boot/grub/extra.cfg": "menuentry 'from source' { linux /k }",
            "/boot/grub/other.cfg": "set timeout=9\nmenuentry 'from configfile' { linux /k }",
            "/boot/grub/loop.cfg": "source /boot/grub/loop.cfg",
        ]
        let config = """
            source /boot/grub/extra.cfg
            source $prefix/loop.cfg
            menuentry 'chain' { configfile /boot/grub/other.cfg }
            """
        let result = GrubHarness.run(config, files: files)
        #expect(result.entries.map(\.title) == ["from source", "chain > from configfile"])
        // GRUB lets a file source itself until its recursion limit stops it.
        #expect(result.diagnostics.contains { $0.message.contains("maximum recursion depth") })
    }

    @Test(arguments: [
        ("2", 3), ("Third", 3), ("t3", 3), ("1>0", 1), ("Sub>Deeper", 2), ("Sub", 1), ("9", 0), ("nothing", 0), ("", 0),
    ])
    func defaults(spec: String, index: Int) {
        let config = """
            set default="\(spec)"
            menuentry First { linux /k }
            submenu Sub { menuentry Inner { linux /k }; menuentry Deeper { linux /k } }
            """
        // Flattened: First, Sub > Inner, Sub > Deeper, Third. "2"/"Third"/"t3" name the third top-level item.
        let withThird = spec.hasPrefix("1>") || spec.hasPrefix("Sub") ? config : config.replacingFirstEntry()
        #expect(GrubHarness.run(withThird).defaultIndex == index)
    }

    @Test func timeoutStyleAndFallback() {
        let result = GrubHarness.run("set timeout=-1\nset timeout_style=hidden\nset fallback=1\nmenuentry a { linux /a }\nmenuentry b { linux /b }")
        #expect(result.timeout == nil)
        #expect(result.timeoutStyle == .hidden)
        #expect(result.fallbackIndex == 1)
        #expect(GrubHarness.run("set timeout=0").timeout == 0)
    }

    @Test func unbootableEntriesSayWhy() {
        let config = """
            menuentry xen { multiboot2 /xen.gz; module2 /vmlinuz }
            menuentry windows { chainloader +1 }
            menuentry setup { fwsetup }
            """
        let reasons = GrubHarness.run(config).entries.map(\.unbootableReason)
        #expect(reasons[0]?.contains("multiboot") == true)
        #expect(reasons[1]?.contains("chainloader") == true)
        #expect(reasons[2] == "it loads no Linux kernel")
    }

    @Test func runawayScriptsStop() {
        var options = GrubOptions()
        options.limits.steps = 5000
        let result = GrubHarness.run("function f { f; }\nf\nwhile true; do true; done\nmenuentry a { linux /k }", options: options)
        #expect(result.diagnostics.contains { $0.message.contains("maximum recursion depth") })
        #expect(result.diagnostics.contains { $0.message.contains("work limit") })
    }

    @Test func locatorLooksForThePlatformsOwnGrubFirst() {
        // A hybrid image holds both: UEFI firmware starts the ESP's GRUB, a BIOS the one in /boot.
        let view = MemoryFileView([
            "/boot/grub/grub.cfg": "menuentry 'bios' { linux /b }",
            "/EFI/debian/grub.cfg": "menuentry 'uefi' { linux /a }",
        ])
        #expect(GrubConfig.locate(in: view, platform: "efi") == "/EFI/debian/grub.cfg")
        #expect(GrubConfig.locate(in: view, platform: "pc") == "/boot/grub/grub.cfg")
        var efi = GrubOptions()
        efi.platform = "efi"
        let device = BootVolume(name: "d", files: view)
        #expect(ConfigLocator.loadConfigurations(from: device, grub: efi).first?.entries.first?.title == "uefi")
        #expect(ConfigLocator.loadConfigurations(from: device).first?.entries.first?.title == "bios")
        // Each platform still finds the other's when its own is missing.
        let onlyESP = MemoryFileView(["/EFI/BOOT/grub.cfg": "menuentry 'uefi' { linux /a }"])
        #expect(GrubConfig.locate(in: onlyESP, platform: "pc") == "/EFI/BOOT/grub.cfg")
        #expect(ConfigLocator.loadConfigurations(from: BootVolume(name: "d", files: MemoryFileView([:]))).isEmpty)
    }

    @Test func unknownCommandsAreDiagnosticsWithLines() {
        let result = GrubHarness.run("frobnicate\nmenuentry a {\n  linux /k\n  wobble\n}")
        #expect(result.diagnostics.map(\.description) == [
            "/boot/grub/grub.cfg:1: warning: unknown command 'frobnicate'",
            "/boot/grub/grub.cfg:4: warning: unknown command 'wobble'",
        ])
        #expect(result.entries.count == 1)
    }
}

private extension String {
    /// Adds a third top-level entry "Third" (id t3) after the submenu.
    func replacingFirstEntry() -> String { self + "\nmenuentry Third --id t3 { linux /k }" }
}
