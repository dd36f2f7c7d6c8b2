/// A stage-4 failure (`missing_field` / `invalid_field`) found while reading a
/// field, before the validator attaches the record's ids to it.
struct FieldProblem: Error {
    var reason: DLQReason
    var field: String
    var detail: String
}
