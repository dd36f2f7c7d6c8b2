import HTTPServing
import Testing

@Suite struct HTTPAddressTests {
    @Test func parsesHostAndPort() throws {
        #expect(try HTTPAddress(parsing: "127.0.0.1:9464") == HTTPAddress(host: "127.0.0.1", port: 9464))
        #expect(try HTTPAddress(parsing: "0.0.0.0:80") == HTTPAddress(host: "0.0.0.0", port: 80))
        #expect(try HTTPAddress(parsing: "metrics.local:0") == HTTPAddress(host: "metrics.local", port: 0))
        #expect(try HTTPAddress(parsing: "[::1]:9464") == HTTPAddress(host: "::1", port: 9464))
        #expect(try HTTPAddress(parsing: "[::]:9464").description == "[::]:9464")
        #expect(HTTPAddress.loopback(port: 9464).description == "127.0.0.1:9464")
    }

    @Test(arguments: ["9464", ":9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000", "::1:9464", "[::1]9464", "[::1"])
    func rejectsWithAnExample(text: String) {
        let error = #expect(throws: HTTPAddressError.self) { try HTTPAddress(parsing: text) }
        #expect(error?.description.contains("e.g.") == true, "\(String(describing: error))")
    }
}
