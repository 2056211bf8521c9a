// Baton's version, shown in the menu's header and by `baton --version`.

public enum BatonVersion {
    public static let string = "0.1.0"
}
