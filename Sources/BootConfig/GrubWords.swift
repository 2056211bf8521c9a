// Splits GRUB script text into commands of words: quotes, escapes, comments, `;`, line continuation.
// A deliberately small subset of GRUB's lexer for the walking skeleton; the full language is issue 3.

/// One word of a GRUB command, as written: `quoted` words never act as `{`, `}` or keywords.
struct GrubWord: Hashable {
    var text: String
    var quoted: Bool
}

/// One command: its words and the line it starts on.
struct GrubCommand: Hashable {
    var words: [GrubWord]
    var line: Int
    var name: String { words.first?.text ?? "" }
}

enum GrubWords {
    /// Splits text into commands; variables are expanded later, by the parser.
    static func commands(in text: String) -> [GrubCommand] {
        var commands: [GrubCommand] = []
        var words: [GrubWord] = []
        var word = ""
        var inWord = false
        var quotedWord = false
        var line = 1
        var commandLine = 1
        let chars = Array(text.unicodeScalars)
        var i = 0

        func flush() {
            if !words.isEmpty { commands.append(GrubCommand(words: words, line: commandLine)) }
            words = []
        }
        func endWord() {
            guard inWord else { return }
            if words.isEmpty { commandLine = line }
            let finished = GrubWord(text: word, quoted: quotedWord)
            word = ""
            inWord = false
            quotedWord = false
            // A bare `{` ends the command that opens a block; a bare `}` is a command of its own.
            if !finished.quoted, finished.text == "}", !words.isEmpty { flush() }
            if words.isEmpty { commandLine = line }
            words.append(finished)
            if !finished.quoted, finished.text == "{" || (finished.text == "}" && words.count == 1) { flush() }
        }
        func endCommand() {
            endWord()
            flush()
        }

        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                if i + 1 < chars.count {
                    if chars[i + 1] == "\n" {
                        line += 1  // continuation
                    } else {
                        word.unicodeScalars.append(chars[i + 1])
                        inWord = true
                    }
                    i += 2
                    continue
                }
            case "'":
                inWord = true
                quotedWord = true
                i += 1
                while i < chars.count, chars[i] != "'" {
                    if chars[i] == "\n" { line += 1 }
                    word.unicodeScalars.append(chars[i])
                    i += 1
                }
            case "\"":
                inWord = true
                quotedWord = true
                i += 1
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count, "\"\\$\n".unicodeScalars.contains(chars[i + 1]) {
                        if chars[i + 1] != "\n" { word.unicodeScalars.append(chars[i + 1]) } else { line += 1 }
                        i += 2
                        continue
                    }
                    if chars[i] == "\n" { line += 1 }
                    word.unicodeScalars.append(chars[i])
                    i += 1
                }
            case "#" where !inWord:
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            case " ", "\t", "\r":
                endWord()
            case "\n":
                endCommand()
                line += 1
            case ";":
                endCommand()
            default:
                word.unicodeScalars.append(c)
                inWord = true
            }
            i += 1
        }
        endCommand()
        return commands
    }
}
