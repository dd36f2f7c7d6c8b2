import JSON

/// A workspace's configuration (SPEC §5), the value of a `workspace-config` record.
public struct WorkspaceConfig: Sendable, Equatable, Codable {
    public var workspaceID: String
    public var orgID: String
    public var plan: Plan
    public var mauMode: MAUMode
    public var consentMode: Bool
    /// `consent_default`: true for `granted` (the default), false for `denied`.
    public var consentDefaultGranted: Bool
    /// The plan's figures with the workspace's `limits` overrides applied.
    public var limits: Limits
    /// The `schemas` member as written (validated by `WorkspaceConfig.parse`).
    public var schemas: JSONObject?

    public init(workspaceID: String, orgID: String, plan: Plan, mauMode: MAUMode = .activeEvents,
                consentMode: Bool = false, consentDefaultGranted: Bool = true,
                limits: Limits? = nil, schemas: JSONObject? = nil) {
        self.workspaceID = workspaceID
        self.orgID = orgID
        self.plan = plan
        self.mauMode = mauMode
        self.consentMode = consentMode
        self.consentDefaultGranted = consentDefaultGranted
        self.limits = limits ?? plan.defaultLimits
        self.schemas = schemas
    }
}

/// Why a workspace config was ignored (SPEC §5: the previous config stays).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension WorkspaceConfig {
    /// Parses and validates a config value. Any problem rejects the config as a whole.
    /// Unknown top-level members are ignored (forward compatibility); unknown
    /// `limits` keys are errors, as SPEC §5 says.
    public static func parse(_ bytes: [UInt8], key: String?) -> Result<WorkspaceConfig, ConfigError> {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            return .failure(ConfigError("not valid JSON: \(error)"))
        }
        guard let object = document.value.objectValue else {
            return .failure(ConfigError("the config must be a JSON object"))
        }
        return parse(object, key: key)
    }

    public static func parse(_ object: JSONObject, key: String?) -> Result<WorkspaceConfig, ConfigError> {
        guard let workspaceID = object["workspace_id"]?.stringValue, (1...64).contains(workspaceID.unicodeScalars.count)
        else { return .failure(ConfigError("workspace_id must be a string of 1–64 characters")) }
        if let key, key != workspaceID {
            return .failure(ConfigError("record key \"\(key)\" differs from workspace_id \"\(workspaceID)\""))
        }
        guard let orgID = object["org_id"]?.stringValue, !orgID.isEmpty else {
            return .failure(ConfigError("org_id must be a non-empty string"))
        }
        guard let planName = object["plan"]?.stringValue, let plan = Plan(rawValue: planName) else {
            return .failure(ConfigError("plan must be one of trial, growth, scale, enterprise"))
        }
        var config = WorkspaceConfig(workspaceID: workspaceID, orgID: orgID, plan: plan)
        if let mode = object["mau_mode"], !mode.isNull {
            guard let name = mode.stringValue, let parsed = MAUMode(rawValue: name) else {
                return .failure(ConfigError("mau_mode must be one of active_events, identified_rolling_30d, connections"))
            }
            config.mauMode = parsed
        }
        if let consent = object["consent_mode"], !consent.isNull {
            guard let flag = consent.boolValue else { return .failure(ConfigError("consent_mode must be a boolean")) }
            config.consentMode = flag
        }
        if let defaultValue = object["consent_default"], !defaultValue.isNull {
            switch defaultValue.stringValue {
            case "granted": config.consentDefaultGranted = true
            case "denied": config.consentDefaultGranted = false
            default: return .failure(ConfigError("consent_default must be \"granted\" or \"denied\""))
            }
        }
        if let limits = object["limits"], !limits.isNull {
            guard let members = limits.objectValue else { return .failure(ConfigError("limits must be an object")) }
            for member in members {
                guard let entry = Limits.keys.first(where: { $0.name == member.key }) else {
                    return .failure(ConfigError("unknown limits key \"\(member.key)\""))
                }
                guard let number = member.value.numberValue, let figure = number.int64Value ?? exactInteger(number),
                    figure >= -1
                else {
                    return .failure(ConfigError("limits.\(member.key) must be an integer ≥ 0, or -1 for unlimited"))
                }
                config.limits[keyPath: entry.path] = figure
            }
        }
        if let schemas = object["schemas"], !schemas.isNull {
            do {
                _ = try EventSchemas(parsing: schemas)
            } catch {
                return .failure(ConfigError("invalid schemas: \(error)"))
            }
            config.schemas = schemas.objectValue
        }
        return .success(config)
    }

    private static func exactInteger(_ number: JSONNumber) -> Int64? {
        let d = number.doubleValue
        guard number.isIntegral, abs(d) < 9.0e15 else { return nil }
        return Int64(d)
    }
}
