import Testing
@testable import Pipeline

@Test func usesOneAssignor() {
    #expect(PipelineInfo.assignor == "cooperative-sticky")
}
