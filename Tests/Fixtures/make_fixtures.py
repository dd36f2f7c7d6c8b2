#!/usr/bin/env python3
"""Writes the scenario fixtures: for each story, NAME.jsonl (a record file, SPEC §12.1)
NAME.expected.jsonl (the `governor check` verdict lines SPEC requires; each expected
line is a subset of the actual line with the same `line` number) and, for stories
that pin output records, NAME.expected-outputs.jsonl: `{"topic":…,"value":{…}}` lines
that must appear, as subsets and in this order, among the topic's records, and
`{"topic":…,"count":n}` lines for exact record counts.

The expectations are written here by hand from SPEC, never from the implementation's
output. Run it again after editing a story: `python3 Tests/Fixtures/make_fixtures.py`.
"""
import base64, json, os

T0 = 1795000000000  # 2026-11-18T11:06:40Z
S, M, H, D = 1000, 60_000, 3_600_000, 86_400_000
DEC1 = 1796083200000  # 2026-12-01T00:00:00Z
HERE = os.path.dirname(os.path.abspath(__file__))


class Story:
    def __init__(self, name):
        self.name, self.lines, self.expected, self.outputs = name, [], [], []

    def _add(self, record, expect):
        self.lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        if expect is not None:
            self.expected.append(dict(line=len(self.lines), **expect))

    def config(self, t, ws, org, plan, **extra):
        value = dict(workspace_id=ws, org_id=org, plan=plan, **extra)
        self._add(dict(topic="workspace-config", key=ws, timestamp_ms=t, value=value), None)

    def raw(self, t, key, value=None, b64=None, expect=None):
        rec = dict(topic="raw-events", key=key, timestamp_ms=t)
        if b64 is not None:
            rec["value_b64"] = base64.b64encode(b64).decode()
        else:
            rec["value"] = value
        self._add(rec, expect)

    def event(self, t, ws, mid, type_="track", event=None, cid=None, aid=None, src="web", key="same", expect=None, **fields):
        value = dict(message_id=mid, workspace_id=ws, source_id=src, type=type_)
        if event is not None:
            value["event"] = event
        if cid is not None:
            value["customer_id"] = cid
        if aid is not None:
            value["anonymous_id"] = aid
        value.update(fields)
        self.raw(t, ws if key == "same" else key, value, expect=expect)

    def outbound(self, t, ws, mid, contact, channel="email", expect=None, value=None):
        value = value if value is not None else dict(message_id=mid, workspace_id=ws, contact_key=contact, channel=channel)
        self._add(dict(topic="outbound-messages", key=ws, timestamp_ms=t, value=value), expect)

    def output(self, topic, key=None, **value):
        entry = dict(topic=topic, value=value)
        if key is not None:
            entry["key"] = key
        self.outputs.append(entry)

    def count(self, topic, n):
        self.outputs.append(dict(topic=topic, count=n))

    def write(self):
        path = os.path.join(HERE, self.name + ".expected-outputs.jsonl")
        if self.outputs:
            with open(path, "w") as f:
                for e in self.outputs:
                    f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
        elif os.path.exists(path):
            os.remove(path)
        with open(os.path.join(HERE, self.name + ".jsonl"), "w") as f:
            f.write("\n".join(self.lines) + "\n")
        with open(os.path.join(HERE, self.name + ".expected.jsonl"), "w") as f:
            for e in self.expected:
                f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")


ACC = dict(verdict="accepted")


def dlq(reason, **kw):
    return dict(verdict="dlq", reason=reason, **kw)


def filtered(reason):
    return dict(verdict="filtered", reason=reason)


def validation():
    s = Story("validation")
    s.config(T0, "ws_v", "org_v", "trial", schemas={"order_placed": {"required": ["amount"], "properties": {"amount": "number", "note": "string"}}})
    t = T0 + 1000
    s.event(t, "ws_v", "v1", event="signup_done", cid="c1", properties={"pad": "x" * 33000}, expect=dlq("payload_too_large"))
    s.raw(t, "ws_v", b64=b"not json", expect=dlq("malformed_json"))
    s.raw(t, "ws_v", b64=b"\xff\xfe{}", expect=dlq("malformed_json"))
    s.raw(t, "ws_v", value=[1, 2, 3], expect=dlq("malformed_json"))
    s.raw(t, "ws_v", b64=b'{"message_id":"x","workspace_id":"ws_v"', expect=dlq("malformed_json"))

    def nest(levels):  # `levels` objects inside properties
        v = 1
        for _ in range(levels):
            v = {"n": v}
        return v
    # the top-level object is depth 1 and properties (the outermost of nest's objects) depth 2
    s.event(t, "ws_v", "v2", event="deep_ok", cid="c1", properties=nest(9), expect=ACC)
    s.event(t, "ws_v", "v3", event="deep_bad", cid="c1", properties=nest(10), expect=dlq("too_deeply_nested"))
    s.event(t, "ws_v", "v3b", event="deep_array", cid="c1", properties={"a": [[[[[[[[[1]]]]]]]]]}, expect=dlq("too_deeply_nested"))
    s.raw(t, "ws_v", value=dict(workspace_id="ws_v", source_id="web", type="track", event="x", customer_id="c1"), expect=dlq("missing_field", field="message_id"))
    s.raw(t, "ws_v", value=dict(message_id=None, workspace_id="ws_v", source_id="web", type="track", event="x", customer_id="c1"), expect=dlq("missing_field", field="message_id"))
    s.raw(t, "ws_v", value=dict(message_id="m" * 129, workspace_id="ws_v", source_id="web", type="track", event="x", customer_id="c1"), expect=dlq("invalid_field", field="message_id"))
    s.event(t, "ws_v", "m" * 128, event="len_ok", cid="c1", expect=ACC)
    s.raw(t, "ws_v", value=dict(message_id=7, workspace_id="ws_v", source_id="web", type="track", event="x", customer_id="c1"), expect=dlq("invalid_field", field="message_id"))
    s.raw(t, "ws_v", value=dict(message_id="v4", workspace_id="ws_v", type="track", event="x", customer_id="c1"), expect=dlq("missing_field", field="source_id"))
    s.raw(t, "ws_v", value=dict(workspace_id="ws_v", source_id="web", type="Bogus", customer_id="c1"), expect=dlq("missing_field", field="message_id"))
    s.event(t, "ws_v", "v5", type_="Track", event="x", cid="c1", expect=dlq("unknown_type"))
    s.event(t, "ws_v", "v6", type_="track", cid="c1", expect=dlq("missing_field", field="event"))
    s.event(t, "ws_v", "v7", type_="connection", event="connect", cid="c1", context={}, expect=dlq("missing_field", field="context.connection_id"))
    s.event(t, "ws_v", "v8", event="x", cid="c1", key="ws_other", expect=dlq("workspace_mismatch"))
    s.event(t, "ws_v", "v9", event="x", cid="  ", aid=" ", expect=dlq("missing_identity"))
    s.event(t, "ws_v", "v10", event="e" * 129, cid="c1", expect=dlq("name_too_long"))
    s.event(t, "ws_v", "v11", event="   ", cid="c1", expect=dlq("invalid_field", field="event"))
    s.event(t, "ws_nobody", "v12", event="x", cid="c1", expect=dlq("unknown_workspace"))
    s.event(t, "ws_v", "v13", event="order_placed", cid="c1", properties={"note": "n"}, expect=dlq("schema_mismatch"))
    s.event(t, "ws_v", "v14", event="order_placed", cid="c1", properties={"amount": "12"}, expect=dlq("schema_mismatch"))
    s.event(t, "ws_v", "v15", event="order_placed", cid="c1", properties={"amount": 12.5}, expect=ACC)
    s.event(t, "ws_v", "v16", event="  order_placed  ", cid="c1", properties={"amount": 1}, expect=ACC)
    s.event(t, "ws_v", "v17", type_="page", aid="a1", expect=ACC)
    s.raw(t, None, value=dict(message_id="v18", workspace_id="ws_v", source_id="web", type="track", customer_id="c1"), expect=dlq("missing_field", field="event"))
    s.output("events-dlq", key="ws_v", scope="event", reason="malformed_json", original_value_b64="bm90IGpzb24=", original_key="ws_v", original_headers=[], stream_time_ms=t)
    s.output("events-dlq", key="ws_v", reason="missing_field", field="event", message_id="v18", workspace_id="ws_v", original_key=None)
    s.count("events-dlq", 24)
    s.write()


def dedup():
    s = Story("dedup")
    s.config(T0, "ws_d", "org_d", "growth", limits={"contact_events_per_second": 1})
    s.event(T0, "ws_d", "m1", event="login", cid="c1", expect=ACC)
    s.event(T0, "ws_d", "m2", event="login", cid="c2", expect=ACC)
    s.event(T0 + 23 * H, "ws_d", "m2", event="login", cid="c2", expect=filtered("duplicate"))
    s.event(T0 + D - 1, "ws_d", "m1", event="login", cid="c1", expect=filtered("duplicate"))
    s.event(T0 + D, "ws_d", "m1", event="login", cid="c1", expect=ACC)
    s.event(T0 + D, "ws_d", "m2", event="login", cid="c2", expect=ACC)  # the duplicate at 23 h did not refresh
    s.event(T0 + D + 1, "ws_d", "m1", event="login", cid="c1", expect=filtered("duplicate"))
    s.event(T0 + D, "ws_other", "m1", event="login", cid="c1", expect=dlq("unknown_workspace"))
    t = T0 + 2 * D
    s.event(t, "ws_d", "m3", type_="Nope", cid="c3", expect=dlq("unknown_type"))
    s.event(t, "ws_d", "m3", event="login", cid="c3", expect=ACC)  # a DLQ verdict does not enter the window
    s.event(t, "ws_d", "m3", event="login", cid="c3", expect=filtered("duplicate"))
    s.event(t, "ws_d", "m4", event="login", cid="c4", expect=ACC)
    s.event(t, "ws_d", "m5", event="login", cid="c4", expect=ACC)
    s.event(t, "ws_d", "m6", event="login", cid="c4", expect=dict(verdict="rate_limited", reason="rate_limit", level="contact", retry_after_ms=1000))
    s.event(t + 1000, "ws_d", "m6", event="login", cid="c4", expect=ACC)  # a rate-limited verdict does not enter
    s.event(t + 1000, "ws_d", "m6", event="login", cid="c4", expect=filtered("duplicate"))
    s.write()


def ghosts():
    s = Story("ghosts")
    s.config(T0, "ws_g", "org_g", "growth")
    s.config(T0, "ws_g2", "org_g", "growth")
    t = T0 + S
    s.event(t, "ws_g", "g1", event="login", cid="c1", context={"user_agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}, expect=filtered("bot"))
    s.event(t, "ws_g", "g2", event="login", cid="c1", context={"user_agent": "Mozilla/5.0 HeadlessChrome/120"}, expect=filtered("bot"))
    s.event(t, "ws_g", "g3", event="login", cid="c1", context={"user_agent": "curl/8.4.0"}, expect=filtered("bot"))
    s.event(t, "ws_g", "g4", event="login", cid="c1", context={"user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"}, expect=ACC)
    s.event(t, "ws_g", "g5", event="login", cid="SMOKE_test", expect=filtered("smoke"))
    s.event(t, "ws_g", "g6", event="login", cid="c1", src="synthetic_probe", expect=filtered("smoke"))
    s.event(t, "ws_g", "g7", event="login", cid="c1", context={"synthetic": True}, expect=filtered("smoke"))
    s.event(t, "ws_g", "g8", event="login", aid="aegis_probe_1", expect=filtered("smoke"))
    s.event(t, "ws_g", "g9", event="login", cid="smoke_x", context={"user_agent": "python-requests/2.31"}, expect=filtered("bot"))
    s.event(t, "ws_g", "g1", event="login", cid="c1", context={"user_agent": "Googlebot"}, expect=filtered("duplicate"))
    s.event(t, "ws_g", "g10", type_="delete", cid="c5", expect=ACC)
    s.event(t + 1, "ws_g", "g11", event="login", cid="c5", expect=filtered("deleted_contact"))
    s.event(t + 1, "ws_g2", "g12", event="login", cid="c5", expect=ACC)
    s.event(t + 2, "ws_g", "g13", event="login", cid=" ", aid="c5", expect=filtered("deleted_contact"))
    s.write()


def consent():
    s = Story("consent")
    s.config(T0, "ws_c", "org_c", "growth", consent_mode=True, consent_default="denied")
    t = T0 + S
    s.event(t, "ws_c", "c1", event="article_read", cid="u1", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    s.event(t + 1, "ws_c", "c2", event="campaign_click", cid="u1", expect=dict(verdict="deferred", reason="consent_denied", category="marketing"))
    s.event(t + 2, "ws_c", "c3", event="ad_view", cid="u1", expect=dict(verdict="deferred", reason="consent_denied", category="marketing"))
    s.event(t + 3, "ws_c", "c4", type_="identify", cid="u1", expect=ACC)
    s.event(t + 4, "ws_c", "c5", event="article_read", cid="u1", context={"consent_category": "functional"}, expect=ACC)
    s.event(t + 5, "ws_c", "c6", event="page_view", cid="u1", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    s.event(t + 6, "ws_c", "c7", type_="consent", cid="u1", properties={"analytics": True}, expect=ACC)
    s.event(t + 7, "ws_c", "c8", event="article_read", cid="u1", expect=ACC)
    s.event(t + 8, "ws_c", "c9", event="campaign_open", cid="u1", expect=dict(verdict="deferred", reason="consent_denied", category="marketing"))
    s.event(t + 9, "ws_c", "c10", type_="consent", cid="u1", properties={"marketing": True, "functional": False}, expect=ACC)
    s.event(t + 10, "ws_c", "c11", type_="identify", cid="u1", expect=dict(verdict="deferred", reason="consent_denied", category="functional"))
    s.event(t + 11, "ws_c", "c12", event="article_read", cid="u2", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    # expiry: u2's hold is settled by the first record of the workspace 30 days or more later
    s.event(t + 11 + 30 * D - 1, "ws_c", "c13", event="ping", cid="u3", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    s.event(t + 11 + 30 * D, "ws_c", "c14", event="ping", cid="u3", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    # overflow: the 101st hold of a contact expires its oldest at once
    s.config(T0, "ws_c2", "org_c", "growth", consent_mode=True, consent_default="denied")
    for i in range(101):
        s.event(T0 + S + i, "ws_c2", "o%d" % i, event="ping", cid="u9", expect=dict(verdict="deferred", reason="consent_denied"))
    s.event(T0 + 2 * S, "ws_c2", "o_grant", type_="consent", cid="u9", properties={"analytics": True}, expect=ACC)
    rel = dict(verdict="accepted", released_from_deferral=True)
    s.output("events-accepted", message_id="c7")
    s.output("events-accepted", message_id="c1", governance=dict(rel, stream_time_ms=t, origin=dict(topic="raw-events", partition=0, offset=0)), settled_at_ms=t + 6)
    s.output("events-accepted", message_id="c6", governance=rel, settled_at_ms=t + 6)
    s.output("events-accepted", message_id="c8")
    s.output("events-accepted", message_id="c10")
    for m in ["c2", "c3", "c9"]:
        s.output("events-accepted", message_id=m, governance=rel, settled_at_ms=t + 9)
    s.output("events-filtered", message_id="c11", reason="consent_expired", expired_from_deferral=True, stream_time_ms=t + 10, settled_at_ms=t + 11 + 30 * D - 1)
    s.output("events-filtered", message_id="c12", reason="consent_expired", expired_from_deferral=True, stream_time_ms=t + 11, settled_at_ms=t + 11 + 30 * D)
    s.output("events-filtered", message_id="o0", reason="consent_expired", expired_from_deferral=True, settled_at_ms=T0 + S + 100)
    s.output("events-accepted", message_id="o_grant")
    for i in range(1, 101):
        s.output("events-accepted", message_id="o%d" % i, governance=rel, settled_at_ms=T0 + 2 * S)
    s.count("events-filtered", 3)
    s.count("events-deferred", 110)
    s.write()


def rate_limits():
    s = Story("rate_limits")
    s.config(T0, "ws_r", "org_r", "trial", limits={"unique_event_names": -1})
    for i in range(20):
        s.event(T0, "ws_r", "r%d" % i, event="login", cid="c1", expect=ACC)
    s.event(T0, "ws_r", "r20", event="login", cid="c1", expect=dict(verdict="rate_limited", reason="rate_limit", level="contact", retry_after_ms=100))
    s.event(T0 + 99, "ws_r", "r21", event="login", cid="c1", expect=dict(verdict="rate_limited", level="contact", retry_after_ms=1))
    s.event(T0 + 100, "ws_r", "r22", event="login", cid="c1", expect=ACC)
    t = T0 + 10 * S
    for i in range(100):
        s.event(t, "ws_r", "s%d" % i, event="login", cid="sc%d" % i, src="s2", expect=ACC)
    s.event(t, "ws_r", "s100", event="login", cid="sx", src="s2", expect=dict(verdict="rate_limited", level="source", retry_after_ms=20))
    s.event(t, "ws_r", "s101", event="login", cid="sx", src="s3", expect=ACC)
    t = T0 + 20 * S
    for i in range(100):
        s.event(t, "ws_r", "w%d" % i, event="login", cid="wa%d" % i, src="s4", expect=ACC)
        s.event(t, "ws_r", "x%d" % i, event="login", cid="wb%d" % i, src="s5", expect=ACC)
    s.event(t, "ws_r", "w200", event="login", cid="wc", src="s6", expect=dict(verdict="rate_limited", level="workspace", retry_after_ms=10))
    s.event(t + 9, "ws_r", "w201", event="login", cid="wc", src="s6", expect=dict(verdict="rate_limited", level="workspace", retry_after_ms=1))
    s.event(t + 10, "ws_r", "w202", event="login", cid="wc", src="s6", expect=ACC)
    s.write()


def name_cap():
    s = Story("name_cap")
    s.config(T0, "ws_n", "org_n", "trial", limits={"unique_event_names": 3})
    t = T0 + S
    for n in ["custom_a", "custom_b", "custom_c", "purchase", "email.opened", "aegis.probe", "session_start"]:
        s.event(t, "ws_n", "n_" + n, event=n, cid="c1", expect=ACC)
    g = t + M  # grace opens here
    s.event(g, "ws_n", "n_d", event="custom_d", cid="c1", expect=ACC)
    s.event(g + D, "ws_n", "n_e", event="custom_e", cid="c1", expect=ACC)
    s.event(g + 3 * D, "ws_n", "n_a2", event="custom_a", cid="c1", expect=ACC)
    s.event(g + 7 * D - 1, "ws_n", "n_f", event="custom_f", cid="c1", expect=ACC)
    s.event(g + 7 * D, "ws_n", "n_g", event="custom_g", cid="c1", expect=dict(verdict="over_cap", reason="event_name_cap"))
    s.event(g + 7 * D + 1, "ws_n", "n_h", event="custom_h", cid="c1", expect=dict(verdict="over_cap", reason="event_name_cap"))
    s.event(g + 8 * D, "ws_n", "n_a3", event="custom_a", cid="c1", expect=ACC)
    s.event(g + 8 * D, "ws_n", "n_p", event="purchase", cid="c1", expect=ACC)
    # an upgrade during grace clears it; grace never reopens
    s.config(T0, "ws_n2", "org_n2", "trial", limits={"unique_event_names": 2})
    for n in ["a", "b", "c"]:
        s.event(t, "ws_n2", "u_" + n, event="x_" + n, cid="c1", expect=ACC)
    s.config(t + H, "ws_n2", "org_n2", "trial", limits={"unique_event_names": 5})
    for n in ["d", "e", "f"]:
        s.event(t + 2 * H, "ws_n2", "u_" + n, event="x_" + n, cid="c1", expect=ACC)
    s.event(t + 2 * H, "ws_n2", "u_g", event="x_g", cid="c1", expect=dict(verdict="over_cap", reason="event_name_cap"))
    s.event(t + 2 * H, "ws_n2", "u_a2", event="x_a", cid="c1", expect=ACC)
    # unlimited: every name passes
    s.config(T0, "ws_n3", "org_n3", "enterprise")
    for i in range(60):
        s.event(t, "ws_n3", "e%d" % i, event="novel_%d" % i, cid="c%d" % i, expect=ACC)
    s.output("governance-audit", kind="cap_hit", workspace_id="ws_n", event="custom_d", phase="grace")
    s.output("governance-audit", kind="grace_opened", workspace_id="ws_n")
    s.output("governance-audit", kind="cap_hit", event="custom_e", phase="grace")
    s.output("governance-audit", kind="cap_hit", event="custom_f", phase="grace")
    s.output("governance-audit", kind="cap_hit", event="custom_g", phase="hard")
    s.output("governance-audit", kind="grace_expired", workspace_id="ws_n")
    s.output("governance-audit", kind="cap_hit", event="custom_h", phase="hard")
    s.output("governance-audit", kind="cap_hit", workspace_id="ws_n2", event="x_c", phase="grace")
    s.output("governance-audit", kind="grace_opened", workspace_id="ws_n2")
    s.output("governance-audit", kind="grace_cleared", workspace_id="ws_n2")
    s.output("governance-audit", kind="cap_hit", workspace_id="ws_n2", event="x_g", phase="hard")
    s.count("governance-audit", 11)
    s.output("events-accepted", message_id="n_d", governance=dict(cap_phase="grace"))
    s.output("events-accepted", message_id="n_e", governance=dict(cap_phase="grace"))
    s.output("events-over-cap", message_id="n_g", reason="event_name_cap", verdict="over_cap", contact_key="c1", event="custom_g")
    s.output("governance-notifications", org_id="org_n", cap_type="event_name_cap", surface="activity_feed", card_type="system", event_id="governance.cap_exceeded")
    s.output("governance-notifications", org_id="org_n", cap_type="grace_reminder", surface="email_admin")
    s.output("governance-hints", key="ws_n3", propertyId="ws_n3", organizationId="org_n3")
    s.write()


def traits():
    s = Story("traits")
    s.config(T0, "ws_t", "org_t", "growth")
    s.event(T0 + S, "ws_t", "t1", type_="identify", cid="c1", traits={
        "firstName": "Ann", "first_name": "dup", "HTTPServerURL": "https://x", "$os": "mac", "_id": 1,
        "System.version": "1", "created": "2024-02-29", "signup_at": 1700000000, "birthday": "not a date",
        "bio": "b" * 300, "essay": "e" * 5000, "   ": "blank", "iOSVersion": "17", "updated_on": "2023-02-29"}, expect=ACC)
    s.event(T0 + S, "ws_t", "t2", type_="group", cid="c1", traits={"Plan Name": "pro"}, expect=ACC)
    s.output("events-accepted", message_id="t1", traits={
        "first_name": "Ann", "http_server_url": "https://x", "created": 1709164800000, "signup_at": 1700000000000,
        "bio": "b" * 256, "i_os_version": "17"})
    s.output("events-accepted", message_id="t2", traits={"plan_name": "pro"})
    for key, normalized, reason, action in [
            ("first_name", "first_name", "bad_key_format", "dropped"), ("$os", None, "reserved_prefix", "dropped"),
            ("_id", None, "reserved_prefix", "dropped"), ("System.version", None, "reserved_prefix", "dropped"),
            ("birthday", "birthday", "bad_date_format", "dropped"), ("bio", "bio", "value_too_long", "truncated"),
            ("essay", "essay", "value_too_long", "dropped"), ("updated_on", "updated_on", "bad_date_format", "dropped")]:
        v = dict(scope="trait", reason=reason, action=action, trait_key=key, workspace_id="ws_t", message_id="t1")
        if normalized:
            v["normalized_key"] = normalized
        s.outputs.append(dict(topic="events-dlq", value=v, unordered=True))
    s.write()


def mau_active():
    s = Story("mau_active")
    s.config(T0, "ws_m", "org_m", "trial", limits={"mau_included": 5})
    t = T0 + S
    for i in range(1, 6):
        s.event(t + i, "ws_m", "a%d" % i, event="login", cid="c%d" % i, expect=ACC)
    s.event(t + 10, "ws_m", "a6", event="login", cid="c1", expect=ACC)
    s.event(t + 11, "ws_m", "a7", event="session_start", cid="c6", expect=ACC)
    s.event(t + 12, "ws_m", "a8", type_="consent", cid="c7", properties={"analytics": True}, expect=ACC)
    s.event(t + 13, "ws_m", "a9", event="email.opened", cid="c8", expect=ACC)
    s.event(DEC1 - 1, "ws_m", "a10", event="login", cid="c9", expect=ACC)
    s.event(DEC1, "ws_m", "a11", event="login", cid="c9", expect=ACC)
    for i in range(1, 6):
        s.output("usage", kind="mau_first_active", workspace_id="ws_m", month="2026-11", contact_key="c%d" % i, event="login", message_id="a%d" % i)
    s.output("usage", kind="mau_first_active", month="2026-11", contact_key="c9", message_id="a10")
    s.output("usage", kind="mau_first_active", month="2026-12", contact_key="c9", message_id="a11")
    s.output("governance-notifications", cap_type="mau_threshold", level=80, surface="activity_feed")
    s.output("governance-notifications", cap_type="mau_threshold", level=100, surface="activity_feed")
    s.output("usage", kind="usage_snapshot", workspace_id="ws_m", month="2026-12", mau_mode="active_events", mau=1)
    s.write()


def mau_rolling():
    s = Story("mau_rolling")
    s.config(T0, "ws_i", "org_i", "growth", mau_mode="identified_rolling_30d")
    s.event(T0, "ws_i", "i1", type_="identify", cid="c1", expect=ACC)
    s.event(T0 + S, "ws_i", "i2", type_="identify", aid="anon1", expect=ACC)
    s.event(T0 + 2 * S, "ws_i", "i3", event="login", cid="c2", expect=ACC)  # not an identify: does not count
    s.event(T0 + 30 * D - 1, "ws_i", "i4", event="ping", cid="c3", expect=ACC)  # c1 still counts
    s.event(T0 + 30 * D, "ws_i", "i5", event="ping", cid="c3", expect=ACC)  # c1 ages out
    s.write()


def connections():
    s = Story("connections")
    s.config(T0, "ws_x", "org_x", "trial", mau_mode="connections", limits={"mau_included": 2, "peak_concurrent_connections": 4})
    s.config(T0, "ws_x2", "org_x", "trial", mau_mode="connections")
    t = T0 + S

    def conn(tt, mid, ev, cid, cn, ws="ws_x", expect=ACC):
        s.event(tt, ws, mid, type_="connection", event=ev, cid=cid, context={"connection_id": cn}, expect=expect)
    conn(t, "k1", "connect", "c1", "conn1")
    conn(t + 1, "k2", "connect", "c1", "conn1")  # repeated connect of an open id counts once
    conn(t + 2, "k3", "connect", "c2", "conn2")  # MAU reaches included (2) here: T = t + 2
    conn(t + 3, "k4", "disconnect", "c9", "conn9")  # unknown id: ignored
    conn(t + 4, "k5", "connect", "c1", "conn3")
    conn(t + 5, "k6", "connect", "c2", "conn4")
    conn(t + 6, "k7", "disconnect", "c1", "conn1")
    conn(t + 10, "k11", "connect", "c1", "connA", ws="ws_x2")  # same org: the org peak sums both
    conn(t + 2 + 3 * D, "k8", "connect", "c3", "conn5")  # t = T + 3 d: not yet over
    conn(t + 2 + 3 * D + 1, "k9", "connect", "c4", "conn6", expect=dict(verdict="over_cap", reason="mau_limit"))
    conn(t + 2 + 3 * D + 2, "k10", "connect", "c1", "conn7")  # already counted this month
    s.output("org-usage", key="org_x", kind="org_connections_peak", org_id="org_x", month="2026-11", peak_sum=1, peaks={"ws_x": 1})
    s.output("org-usage", peak_sum=2, peaks={"ws_x": 2})
    s.output("org-usage", peak_sum=3, peaks={"ws_x": 3})
    s.output("org-usage", peak_sum=4, peaks={"ws_x": 4})
    s.output("org-usage", peak_sum=5, peaks={"ws_x": 4, "ws_x2": 1})
    s.output("org-usage", peak_sum=6, peaks={"ws_x": 5, "ws_x2": 1})  # k10: c1, already counted, opens a fifth
    s.output("governance-notifications", cap_type="mau_threshold", level=80, surface="ops")
    s.output("governance-notifications", cap_type="mau_threshold", level=100, surface="ops")
    s.output("governance-notifications", cap_type="pcc_threshold", level=80, surface="ops")
    s.output("governance-notifications", cap_type="pcc_threshold", level=100, surface="ops")
    s.output("events-over-cap", message_id="k9", reason="mau_limit")
    s.write()


def messaging():
    s = Story("messaging")
    s.config(T0, "ws_o", "org_o", "trial")
    s.config(T0, "ws_o2", "org_o", "trial", limits={"messages_per_contact_per_day": -1})
    midnight = 1795046400000  # 2026-11-19T00:00:00Z
    s.outbound(T0, "ws_o", "o1", "c1", expect=dict(verdict="allowed", limit=2, count=1))
    s.outbound(T0 + 1, "ws_o", "o2", "c1", channel="sms", expect=dict(verdict="allowed", limit=2, count=2))
    s.outbound(T0 + 2, "ws_o", "o3", "c1", channel="push", expect=dict(verdict="capped", reason="messaging_cap", limit=2, count=2, resets_at="2026-11-19T00:00:00Z"))
    s.outbound(T0 + 3, "ws_o", "o4", "c2", expect=dict(verdict="allowed", count=1))
    s.outbound(midnight - 1, "ws_o", "o5", "c1", expect=dict(verdict="capped", count=2))
    s.outbound(midnight, "ws_o", "o6", "c1", expect=dict(verdict="allowed", count=1, resets_at="2026-11-20T00:00:00Z"))
    s.outbound(T0, "ws_o2", "o7", "c1", expect=dict(verdict="allowed", limit=-1, count=1))
    s.outbound(T0, "ws_o2", "o8", "c1", expect=dict(verdict="allowed", limit=-1, count=2))
    s.outbound(T0, "ws_nobody", "o9", "c1", expect=dlq("unknown_workspace"))
    s.outbound(T0, "ws_o", "o10", "c1", value=dict(message_id="o10", workspace_id="ws_o", channel="email"), expect=dlq("missing_field", field="contact_key"))
    s.output("outbound-verdicts", message_id="o1", workspace_id="ws_o", contact_key="c1", channel="email", verdict="allowed", limit=2, count=1, resets_at="2026-11-19T00:00:00Z", origin=dict(topic="outbound-messages", partition=0, offset=0), stream_time_ms=T0)
    s.output("outbound-verdicts", message_id="o3", verdict="capped", limit=2, count=2, channel="push")
    s.count("outbound-verdicts", 8)
    s.output("events-dlq", key="ws_nobody", scope="event", reason="unknown_workspace", workspace_id="ws_nobody", message_id="o9", original_key="ws_nobody", origin=dict(topic="outbound-messages", partition=0, offset=8))
    s.write()


def notifications():
    s = Story("notifications")
    s.config(T0, "ws_a", "org_shared", "trial", limits={"unique_event_names": 1})
    s.config(T0, "ws_b", "org_shared", "trial", limits={"unique_event_names": 1})
    t = T0 + S
    s.event(t, "ws_a", "a1", event="x_1", cid="c1", expect=ACC)
    s.event(t, "ws_a", "a2", event="x_2", cid="c1", expect=ACC)  # opens grace: event_name_cap request passes
    s.event(t + H, "ws_b", "b1", event="y_1", cid="c1", expect=ACC)
    s.event(t + H, "ws_b", "b2", event="y_2", cid="c1", expect=ACC)  # same org and cap within 24 h: swallowed
    s.event(t + D, "ws_a", "a3", event="x_3", cid="c1", expect=ACC)  # 24 h after: reminder passes
    for surface in ["activity_feed", "in_app_admin", "email_admin", "ops"]:
        s.output("governance-notifications", key="org_shared", org_id="org_shared", workspace_id="ws_a", cap_type="event_name_cap", surface=surface, stream_time_ms=t)
    s.output("governance-notifications", org_id="org_shared", workspace_id="ws_a", cap_type="grace_reminder", surface="email_admin", template="tenant_quota_cap_exceeded", stream_time_ms=t + D)
    s.count("governance-notifications", 5)
    s.write()


for story in [validation, dedup, ghosts, consent, rate_limits, name_cap, traits, mau_active, mau_rolling, connections, messaging, notifications]:
    story()
