import JSON
import Testing
@testable import Governance

/// The usage-side records written straight to a `JSONWriter` (`mau_first_active`, the
/// workspace peak report) are byte for byte their objects serialized, also for strings
/// that need escapes or are not ASCII.
@Suite struct UsageRecordBytesTests {
    static let strings = ["", "c1", "m\"2\u{1}\\", "é a\n\t", "😀 \u{7F} \u{1F}", String(repeating: "k", count: 40)]

    @Test func firstActiveBytesEqualTheSerializedObject() {
        for a in Self.strings {
            for b in Self.strings {
                let record = MAUFirstActive(workspaceID: "ws_" + a, month: "2026-11", contactKey: b, event: a + b,
                                            messageID: b + "m")
                #expect(record.jsonBytes == record.json.serializedBytes)
            }
        }
    }

    @Test func peakReportBytesEqualTheSerializedObject() {
        for a in Self.strings {
            for open in [nil, Int64(0), 7] {
                for peak in [Int64(0), -3, .max] {
                    let report = WorkspacePeakReport(orgID: a, workspaceID: "ws" + a, month: "2026-12", peak: peak,
                                                     open: open, streamTimeMs: .min)
                    #expect(report.jsonBytes == report.json.serializedBytes)
                }
            }
        }
    }
}
