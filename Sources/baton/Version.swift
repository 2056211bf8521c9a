// Baton's version, shown in the menu's header and by `baton --version`.

enum BatonVersion {
    static let string = "0.1.0"
}
