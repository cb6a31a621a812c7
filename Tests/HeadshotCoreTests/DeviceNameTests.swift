import Testing
@testable import HeadshotCore

@Suite("Device names")
struct DeviceNameTests {
    @Test func sessionsAreShownAsTheBrowserAndSystemAPersonRecognises() {
        #expect(DeviceName.describe("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36") == "Chrome on Linux")
        #expect(DeviceName.describe("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1") == "Safari on iPhone")
        #expect(DeviceName.describe("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0") == "Edge on Windows")
        #expect(DeviceName.describe("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0") == "Firefox on macOS")
        #expect(DeviceName.describe(nil) == "Unknown device" && DeviceName.describe("") == "Unknown device")
    }
}
