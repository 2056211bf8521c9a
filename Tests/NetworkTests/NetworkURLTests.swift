// URLs network boot fetches: schemes, servers, ports, paths, and what is refused.

import Network
import Testing

@Suite struct NetworkURLTests {
    @Test func parsesWhatBootServersHandOut() throws {
        let tftp = try NetworkURL("tftp://192.0.2.1/pxelinux.cfg/default")
        #expect(tftp.scheme == .tftp && tftp.address == IPv4Address(192, 0, 2, 1) && tftp.port == 69 && tftp.path == "/pxelinux.cfg/default")
        let http = try NetworkURL("HTTP://boot.example:8080")
        #expect(http.scheme == .http && http.host == "boot.example" && http.port == 8080 && http.path == "/" && http.address == nil)
        #expect(try NetworkURL("https://192.0.2.1/a?b").description == "https://192.0.2.1/a?b")
    }

    @Test(arguments: ["192.0.2.1/x", "ftp://h/x", "tftp:///x", "tftp://h:0/x", "tftp://h:99999/x", "http://u@h/", "http://h h/", "tftp:/h/x"])
    func refused(_ text: String) {
        #expect(throws: NetworkURLError.self) { try NetworkURL(text) }
    }
}
