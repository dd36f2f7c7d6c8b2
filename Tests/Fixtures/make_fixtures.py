#!/usr/bin/env python3
"""Writes the scenario fixtures: for each story, NAME.jsonl (a record file, SPEC §12.1)
NAME.expected.jsonl (the `governor check` verdict lines SPEC requires; each expected
line is a subset of the actual line with the same `line` number) and, for stories
that pin output records, NAME.expected-outputs.jsonl: `{"topic":…,"value":{…}}` lines
that must appear, as subsets and in this order, among the topic's records, and
`{"topic":…,"count":n}` lines for exact record counts. An expected verdict line's
`"$absent": [names]` says the line has none of those members; an output line's
`"absent"` / `"present"`: [dotted paths] say the matching record lacks / has them
(SPEC's "when there is one", "null vs absent").

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



# Edge scenarios written from SPEC by the spec audit (docs/GOVERNANCE.md §6): boundaries,
# stage precedence, output field names and the usage, notification and messaging figures.
RL = lambda level, ra: dict(verdict="rate_limited", reason="rate_limit", level=level, retry_after_ms=ra)


def edges_rate():
    s = Story("edges_rate")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": -1, "contact_events_per_second": 10, "source_events_per_second": 1})
    s.event(T0, "ws", "e1", event="login", cid="c1", src="s1", expect=ACC)
    s.event(T0, "ws", "e2", event="login", cid="c1", src="s1", expect=ACC)
    s.event(T0, "ws", "e3", event="login", cid="c1", src="s1", expect=RL("source", 1000))
    for i in range(2, 11):  # 18 more for c1 -> contact empty only if e3 took nothing
        s.event(T0, "ws", "f%d_a" % i, event="login", cid="c1", src="s%d" % i, expect=ACC)
        s.event(T0, "ws", "f%d_b" % i, event="login", cid="c1", src="s%d" % i, expect=ACC)
    s.event(T0, "ws", "g1", event="login", cid="c1", src="s11", expect=RL("contact", 100))
    s.event(T0 + 50, "ws", "g2", event="login", cid="c1", src="s11", expect=RL("contact", 50))
    s.event(T0 + 10, "ws", "g3", event="login", cid="c1", src="s11", expect=RL("contact", 50))  # older: refills nothing, counted from last update
    s.event(T0 + 100, "ws", "g4", event="login", cid="c1", src="s11", expect=ACC)
    s.event(T0 + 100, "ws", "g1", event="login", cid="c2", src="s12", expect=ACC)  # g1 was rate_limited: not a duplicate
    s.output("events-rate-limited", message_id="e3", workspace_id="ws", contact_key="c1", event="login", verdict="rate_limited", reason="rate_limit", level="source", retry_after_ms=1000, origin=dict(topic="raw-events", partition=0, offset=2), stream_time_ms=T0)
    s.write()

def edges_msg():
    s = Story("edges_msg")
    s.config(1835395199999 - H, "ws", "org", "trial")
    s.config(1835395199999 - H, "ws0", "org", "trial", limits={"messages_per_contact_per_day": 0})
    s.outbound(1835395199999 - 5, "ws", "o1", "c1", expect=dict(verdict="allowed", limit=2, count=1, resets_at="2028-02-29T00:00:00Z"))
    s.event(1835395199999 - 4, "ws", "e1", event="login", cid="c1", expect=ACC)  # incoming never counts
    s.outbound(1835395199999, "ws", "o2", " c1 ", expect=dict(verdict="allowed", limit=2, count=2, resets_at="2028-02-29T00:00:00Z"))
    s.outbound(1835395199999, "ws", "o3", "c1", expect=dict(verdict="capped", reason="messaging_cap", limit=2, count=2, resets_at="2028-02-29T00:00:00Z"))
    s.outbound(1835395200000, "ws", "o4", "c1", expect=dict(verdict="allowed", limit=2, count=1, resets_at="2028-03-01T00:00:00Z"))
    s.outbound(1835395200000, "ws0", "o5", "c1", expect=dict(verdict="capped", reason="messaging_cap", limit=0, count=0, resets_at="2028-03-01T00:00:00Z"))
    s.outbound(1835395200000, "ws", "o6", "c1", channel="fax", expect=dlq("invalid_field", field="channel"))
    s.outbound(1835395200000, "ws", "o7", "c1", value=dict(message_id="o7", workspace_id="ws", contact_key="c1", channel="email", campaign_id="cmp"), expect=dict(verdict="allowed", count=2))
    # SPEC §6.3, "days … of the record's timestamp" (the lead's decision): a late send
    # stamped on Feb 28, processed after sends of Feb 29, counts toward Feb 28 with that
    # day's earlier sends (`count`, `resets_at` of Feb 28), not toward Feb 29.
    s.outbound(1835395199998, "ws", "o8", "c1", expect=dict(verdict="capped", reason="messaging_cap", limit=2, count=2, resets_at="2028-02-29T00:00:00Z"))
    s.outbound(1835395200001, "ws", "o9", "c2", expect=dict(verdict="allowed", limit=2, count=1, resets_at="2028-03-01T00:00:00Z"))
    s.outbound(1835395199998, "ws", "o10", "c2", expect=dict(verdict="allowed", limit=2, count=1, resets_at="2028-02-29T00:00:00Z"))
    s.output("outbound-verdicts", key="ws", message_id="o3", workspace_id="ws", contact_key="c1", channel="email", verdict="capped", limit=2, count=2, resets_at="2028-02-29T00:00:00Z", origin=dict(topic="outbound-messages", partition=0, offset=2), stream_time_ms=1835395199999)
    s.write()

def edges_usage():
    s = Story("edges_usage")
    s.config(T0, "wx", "orgx", "trial", limits={"mau_included": 5, "events_per_month": 3, "unique_event_names": -1})
    s.config(T0, "wy", "orgx", "trial", limits={"mau_included": 1, "unique_event_names": -1})
    t = T0 + S
    for i in range(1, 7):
        s.event(t + i, "wx", "u%d" % i, event="login", cid="c%d" % i, expect=ACC)
    s.event(t + H, "wy", "y1", event="login", cid="d1", expect=ACC)
    s.event(t + 2 * M, "wx", "u7", event="session_start", cid="c7", expect=ACC)  # passive: no MAU
    s.output("usage", key="wx", kind="mau_first_active", workspace_id="wx", month="2026-11", contact_key="c1", event="login", message_id="u1")
    s.output("usage", key="wx", kind="usage_snapshot", workspace_id="wx", month="2026-11", mau_mode="active_events", mau=6, accepted_events_month=7, overage_packs=1)
    for lvl in (80, 100):
        for surf in ["activity_feed", "in_app_admin", "email_admin", "ops"]:
            s.output("governance-notifications", key="orgx", org_id="orgx", workspace_id="wx", cap_type="mau_threshold", level=lvl, surface=surf)
    s.output("governance-notifications", key="orgx", org_id="orgx", workspace_id="wx", cap_type="events_quota_exceeded", surface="ops", stream_time_ms=t + 4)
    s.outputs[-1]["unordered"] = True
    s.count("governance-notifications", 9)
    s.count("usage", 6 + 1 + 3)  # 7 first-actives, snapshot at first change for wx and wy, and at +2 min for wx
    s.write()

def edges_prec():
    s = Story("edges_prec")
    s.config(T0, "ws", "org", "trial", schemas={"buy": {"required": ["amount"]}})
    t = T0 + S
    s.event(t, "ws", "p1", event="x", cid=" ", key="other", expect=dlq("workspace_mismatch"))
    s.event(t, "ws", "p2", type_="Track", event="x", cid="c1", key="other", expect=dlq("unknown_type"))
    s.event(t, "nows", "p3", event="e" * 129, cid="c1", expect=dlq("name_too_long"))
    s.event(t, "nows", "p4", event="x", expect=dlq("missing_identity"))
    s.event(t, "ws", "p5", type_=None, event="x", cid="c1", expect=dlq("missing_field", field="type"))
    s.event(t, "ws", "p6", event=5, cid="c1", expect=dlq("invalid_field", field="event"))
    s.event(t, "ws", "p7", type_="connection", event="connect", cid="c1", context={"connection_id": ""}, expect=dlq("invalid_field", field="context.connection_id"))
    s.raw(t, "w" * 65, value=dict(message_id="p8", workspace_id="w" * 65, source_id="web", type="track", event="x", customer_id="c1"), expect=dlq("invalid_field", field="workspace_id"))
    s.event(t, "ws", "p9", event="buy", cid="c1", expect=dlq("schema_mismatch"))
    s.event(t + 1, "ws", "p9", event="buy", cid="c1", properties={"amount": 1}, expect=ACC)
    s.event(t + 2, "ws", "p9", event="buy", cid="c1", properties={"amount": 1}, expect=filtered("duplicate"))
    s.event(t + 3, "ws", "p9", event="buy", cid="smoke_1", properties={"amount": 2}, context={"user_agent": "curl/8"}, expect=filtered("duplicate"))
    s.event(t + 3, "ws", "p10", event="x", cid="AEGIS_PROBE_1", context={"user_agent": "Mozilla"}, expect=filtered("smoke"))
    s.event(t + 3, "ws", "p11", event="x", cid="c1", src="Synthetic_src", expect=filtered("smoke"))
    s.event(t + 3, "ws", "p12", event="x", cid="smoke_c", context={"user_agent": "Lighthouse"}, expect=filtered("bot"))
    def sized(n):
        base = dict(message_id="z%d" % n, workspace_id="ws", source_id="web", type="track", event="big", customer_id="c1", properties={"pad": ""})
        l = len(json.dumps(base, separators=(",", ":")).encode())
        base["properties"]["pad"] = "x" * (n - l)
        return base
    s.raw(t + 4, "ws", value=sized(32768), expect=ACC)
    s.raw(t + 4, "ws", value=sized(32769), expect=dlq("payload_too_large"))
    s.raw(t + 4, None, value=dict(message_id="p13", workspace_id="ws", source_id="web", type="page", customer_id="c1"), expect=ACC)
    s.event(t + 5, "ws", "p14", type_="page", cid=" c9 ", expect=ACC)
    s.output("events-accepted", key="ws", message_id="p14", type="page", event="page_view", contact_key="c9", governance=dict(verdict="accepted", stream_time_ms=t + 5, origin=dict(topic="raw-events", partition=0, offset=18)))
    s.output("events-filtered", key="ws", message_id="p9", workspace_id="ws", contact_key="c1", event="buy", verdict="filtered", reason="duplicate", stream_time_ms=t + 2)
    s.output("events-dlq", key="other", workspace_id="other", reason="workspace_mismatch", message_id="p1")
    s.write()

def edges_grace():
    s = Story("edges_grace")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": 1})
    s.event(T0, "ws", "n1", event="x_1", cid="c1", expect=ACC)
    s.event(T0 + 1, "ws", "n2", event="x_2", cid="c1", expect=ACC)  # grace opens at T0+1
    s.event(T0 + 1 + D - 1, "ws", "n3", event="login", cid="c1", expect=ACC)
    s.event(T0 + 1 + D, "ws", "n4", event="login", cid="c1", expect=ACC)  # reminder
    s.event(T0 + 1 + 2 * D - 1, "ws", "n5", event="login", cid="c1", expect=ACC)
    s.event(T0 + 1 + 2 * D, "ws", "n6", event="login", cid="c1", expect=ACC)  # reminder 2
    s.event(T0 + 1 + 7 * D - 1, "ws", "n7", event="x_3", cid="c1", expect=ACC)
    s.event(T0 + 1 + 7 * D, "ws", "n8", event="x_4", cid="c1", expect=dict(verdict="over_cap", reason="event_name_cap"))
    s.event(T0 + 1 + 7 * D, "ws", "n9", event="x_1", cid="c1", expect=ACC)
    s.output("governance-notifications", cap_type="grace_reminder", surface="email_admin", stream_time_ms=T0 + 1 + D)
    s.output("governance-notifications", cap_type="grace_reminder", surface="email_admin", stream_time_ms=T0 + 1 + 2 * D)
    s.output("governance-audit", kind="grace_opened", workspace_id="ws")
    s.output("governance-audit", kind="grace_expired", workspace_id="ws")
    s.output("events-over-cap", message_id="n8", workspace_id="ws", contact_key="c1", event="x_4", verdict="over_cap", reason="event_name_cap")
    s.output("events-accepted", message_id="n7", governance=dict(cap_phase="grace"))
    s.write()

def edges_month():
    s = Story("edges_month")
    s.config(1835395199999 - H, "ws", "org", "trial", mau_mode="connections", limits={"unique_event_names": -1, "peak_concurrent_connections": 2})
    c = lambda cid, ev, t, mid, conn: s.event(t, "ws", mid, type_="connection", event=ev, cid=cid, context={"connection_id": conn}, expect=ACC)
    c("a", "connect", 1835395199999 - 10, "k1", "x1")
    c("b", "connect", 1835395199999 - 9, "k2", "x2")
    c("b", "connect", 1835395199999 - 8, "k3", "x2")
    c("b", "disconnect", 1835395199999 - 7, "k4", "zz")
    c("a", "disconnect", 1835395199999, "k5", "x1")
    c("c", "connect", 1835481600000 + 5 * M, "k6", "x3")
    # SPEC §6.3, "months … of the record's timestamp" (the lead's decision): in
    # `active_events` mode a late login stamped Feb 29, processed after one of March,
    # writes `mau_first_active` for February and counts in February's MAU and snapshot.
    s.config(1835395199999 - H, "wa", "orga", "trial", limits={"unique_event_names": -1})
    s.event(1835395199999 - 2, "wa", "m1", event="login", cid="c1", expect=ACC)
    s.event(1835481600000 + 6 * M, "wa", "m2", event="login", cid="c2", expect=ACC)
    s.event(1835481599999, "wa", "m3", event="login", cid="c3", expect=ACC)
    s.output("org-usage", key="org", kind="org_connections_peak", org_id="org", month="2028-02", peak_sum=2, peaks={"ws": 2})
    s.output("org-usage", key="org", kind="org_connections_peak", org_id="org", month="2028-03", peak_sum=2, peaks={"ws": 2})
    s.output("usage", kind="usage_snapshot", month="2028-03", mau_mode="connections", mau=1, connections_current=2, connections_peak=2)
    s.output("usage", key="wa", kind="mau_first_active", workspace_id="wa", month="2028-03", contact_key="c2", message_id="m2")
    s.output("usage", key="wa", kind="mau_first_active", workspace_id="wa", month="2028-02", contact_key="c3", message_id="m3")
    s.output("usage", key="wa", kind="usage_snapshot", workspace_id="wa", month="2028-02", mau_mode="active_events", mau=2, accepted_events_month=2)
    for surf in ["activity_feed", "in_app_admin", "email_admin", "ops"]:
        s.output("governance-notifications", cap_type="pcc_threshold", level=100, surface=surf, stream_time_ms=1835395199999 - 9)
    s.write()

def edges_consent():
    s = Story("edges_consent")
    s.config(T0, "ws", "org", "trial", consent_mode=True, consent_default="denied", limits={"unique_event_names": -1})
    t = T0 + S
    s.event(t, "ws", "q1", event="viewed", cid="c1", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    s.event(t + 1, "ws", "q2", event="campaign_x", cid="c1", expect=dict(verdict="deferred", reason="consent_denied", category="marketing"))
    s.event(t + 2, "ws", "q3", type_="identify", cid="c1", expect=ACC)
    s.event(t + 3, "ws", "q4", event="viewed", cid="c1", context={"consent_category": "functional"}, expect=ACC)
    s.event(t + 4, "ws", "q5", type_="consent", cid="c1", properties={"analytics": True}, expect=ACC)
    s.event(t + 5, "ws", "q6", event="ad_y", cid="c1", expect=dict(verdict="deferred", category="marketing"))
    s.event(t + 6, "ws", "q7", type_="consent", cid="c1", properties={"functional": False}, expect=ACC)
    s.event(t + 7, "ws", "q8", type_="identify", cid="c1", expect=dict(verdict="deferred", category="functional"))
    s.output("events-accepted", message_id="q5")
    s.output("events-accepted", message_id="q1", governance=dict(released_from_deferral=True), settled_at_ms=t + 4, stream_time_ms=t, origin=dict(topic="raw-events", partition=0, offset=0))
    s.count("events-accepted", 5)
    s.count("events-deferred", 4)
    s.write()

def edges_debounce():
    s = Story("edges_debounce")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": 1})
    s.event(T0, "ws", "x1", event="x_1", cid="c1", expect=ACC)
    s.event(T0, "ws", "x2", event="x_2", cid="c1", expect=ACC)
    s.event(T0 + 7 * D, "ws", "x3", event="x_3", cid="c1", expect=dict(verdict="over_cap", reason="event_name_cap"))
    s.event(T0 + 8 * D - 1, "ws", "x4", event="x_4", cid="c1", expect=dict(verdict="over_cap"))
    s.event(T0 + 8 * D, "ws", "x5", event="x_5", cid="c1", expect=dict(verdict="over_cap"))
    for t in (T0, T0 + 7 * D, T0 + 8 * D):
        for surf in ["activity_feed", "in_app_admin", "email_admin", "ops"]:
            s.output("governance-notifications", key="org", org_id="org", workspace_id="ws", cap_type="event_name_cap", surface=surf, stream_time_ms=t)
    s.count("governance-notifications", 12)
    s.write()

def edges_traits():
    s = Story("edges_traits")
    s.config(T0, "ws", "org", "trial")
    tr = {"firstName": "A", "HTTPServerURL": "u", "$email": "e", "first_name": "B", "birthday": "2024-02-29", "created": 99999999999, "bio": "x" * 257, "note": "y" * 4097, "signup_at": "yesterday", "iOSVersion": "17", "ok": "z" * 256}
    s.event(T0, "ws", "t1", type_="identify", cid="c1", traits=tr, expect=ACC)
    s.output("events-accepted", message_id="t1", traits={"first_name": "A", "http_server_url": "u", "birthday": 1709164800000, "created": 99999999999000, "bio": "x" * 256, "i_os_version": "17", "ok": "z" * 256})
    for k, r, a in [("$email", "reserved_prefix", "dropped"), ("first_name", "bad_key_format", "dropped"), ("bio", "value_too_long", "truncated"), ("note", "value_too_long", "dropped"), ("signup_at", "bad_date_format", "dropped")]:
        s.output("events-dlq", key="ws", scope="trait", reason=r, trait_key=k, action=a, workspace_id="ws", message_id="t1", stream_time_ms=T0)
        s.outputs[-1]["unordered"] = True
    s.count("events-dlq", 5)
    s.write()

def edges_bare():
    s = Story("edges_bare")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": 1})
    s.event(T0 + 5, "ws", "b1", event="login", cid="c1", context={"user_agent": "SomeBot/1"}, expect=filtered("bot"))
    s.lines.append(json.dumps(dict(message_id="b1", workspace_id="ws", source_id="web", type="track", event="login", customer_id="c1")))
    s.expected.append(dict(line=len(s.lines), verdict="filtered", reason="duplicate"))
    s.lines.append("this is not json")
    s.expected.append(dict(line=len(s.lines), verdict="dlq", reason="malformed_json"))
    s.lines.append("[1,2]")
    s.expected.append(dict(line=len(s.lines), verdict="dlq", reason="malformed_json"))
    s.event(T0 + 6, "ws", "b2", event="n_1", cid="c1", expect=ACC)
    s.event(T0 + 6, "ws", "b3", event="n_2", cid="c1", expect=ACC)  # grace
    s.event(T0 + 6 + 7 * D, "ws", "b4", event="n_3", cid="c1", expect=dict(verdict="over_cap"))
    s.event(T0 + 6 + 7 * D, "ws", "b4", event="n_3", cid="c1", expect=filtered("duplicate"))
    s.output("events-filtered", key="ws", message_id="b1", reason="duplicate", stream_time_ms=T0 + 5, origin=dict(topic="raw-events", partition=0, offset=1))
    s.output("events-dlq", key=None, reason="malformed_json", original_key=None, original_value_b64=base64.b64encode(b"this is not json").decode(), stream_time_ms=T0 + 5)
    s.write()

def edges_rolling():
    s = Story("edges_rolling")
    s.config(T0, "ws", "org", "trial", mau_mode="identified_rolling_30d", limits={"mau_included": 2})
    s.event(T0, "ws", "r1", type_="identify", cid="c1", expect=ACC)
    s.event(T0 + 1, "ws", "r2", event="login", cid="c2", expect=ACC)
    s.event(T0 + 30 * D - M - 1, "ws", "r3", type_="identify", aid="a3", expect=ACC)
    s.event(T0 + 30 * D, "ws", "r4", event="login", cid="c2", expect=ACC)
    s.output("usage", kind="usage_snapshot", mau_mode="identified_rolling_30d", mau=1, month="2026-11")
    s.output("usage", kind="usage_snapshot", mau_mode="identified_rolling_30d", mau=2, month="2026-12")
    s.output("usage", kind="usage_snapshot", mau_mode="identified_rolling_30d", mau=1, month="2026-12")
    s.output("governance-notifications", cap_type="mau_threshold", level=100, surface="ops", stream_time_ms=T0 + 30 * D - M - 1)
    s.outputs[-1]["unordered"] = True
    s.write()

def edges_traits2():
    s = Story("edges_traits2")
    s.config(T0, "ws", "org", "trial")
    tr = {"created": "2024-02-30", "dob": "2024-02-29T12:00:00+02:00", "updated": 100000000000, "expires": "1709164800", "renewal_on": "2024-02-29", "userName": "u", "User.Name": "v", "  ": "w", "e" * 3: True}
    s.event(T0, "ws", "t1", type_="group", cid="c1", traits=tr, expect=ACC)
    s.event(T0, "ws", "t2", event="x", cid="c1", traits={"$bad": 1}, expect=ACC)
    s.output("events-accepted", message_id="t1", traits={"dob": 1709200800000, "updated": 100000000000, "expires": 1709164800000, "renewal_on": 1709164800000, "user_name": "u", "eee": True})
    s.output("events-accepted", message_id="t2", traits={"$bad": 1})
    s.count("events-dlq", 3)
    s.write()

def edges_fields():
    s = Story("edges_fields")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": -1})
    t = T0 + 1
    s.event(t, "ws", "f1", event="x", cid=123, expect=dlq("invalid_field", field="customer_id"))
    s.event(t, "ws", "f2", event="x", cid="c", properties=[1], expect=dlq("invalid_field", field="properties"))
    s.event(t, "ws", "f3", event="x", cid="c", context=None, expect=ACC)
    s.raw(t, "", value=dict(message_id="f4", workspace_id="", source_id="w", type="track", event="x", customer_id="c"), expect=dlq("invalid_field", field="workspace_id"))
    s.event(t, "ws", "f5", event="x", cid="c", src="s" * 129, expect=dlq("invalid_field", field="source_id"))
    s.event(t, "ws", "f6", event="x", cid="c", src="s" * 128, expect=ACC)
    s.event(t, "ws", "", event="x", cid="c", expect=dlq("invalid_field", field="message_id"))
    s.event(t, "ws", "f7", event="x", cid="c", properties={"a": [[[[[[[[1]]]]]]]]}, expect=ACC)
    s.raw(t, "ws", value={}, expect=dlq("missing_field", field="message_id"))
    s.event(t, "ws", "f8", type_="connection", event="connect", cid="c", context={"connection_id": 5}, expect=dlq("invalid_field", field="context.connection_id"))
    s.event(t, "ws", "f9", event=" " + "n" * 128 + " ", cid="c", expect=ACC)
    s.event(t, "ws", "f10", event="x", cid="c", context={"synthetic": "true"}, expect=dlq("invalid_field", field="context.synthetic"))
    s.event(t, "ws", "f11", event="x", cid="c", context={"user_agent": 7}, expect=dlq("invalid_field", field="context.user_agent"))
    s.event(t, "ws", "f12", type_="alias", aid="a", expect=ACC)
    s.event(t, "ws", "f13", type_="delete", cid="gone", expect=ACC)
    s.event(t, "ws", "f14", type_="screen", cid="gone", expect=filtered("deleted_contact"))
    s.event(t, "ws", "f15", type_="screen", cid="gone", context={"user_agent": "crawler"}, expect=filtered("bot"))
    s.output("events-filtered", message_id="f14", contact_key="gone", event="screen_view", reason="deleted_contact")
    s.output("events-accepted", message_id="f9", event=" " + "n" * 128 + " ")
    s.write()

def edges_snap():
    s = Story("edges_snap")
    s.config(DEC1 - H, "ws", "org", "trial", limits={"unique_event_names": -1})
    s.event(DEC1 - 2 * M, "ws", "s1", event="login", cid="c1", expect=ACC)       # snapshot (first of month)
    s.event(DEC1 - 2 * M + 59999, "ws", "s2", event="login", cid="c2", expect=ACC)  # not due
    s.event(DEC1 - M, "ws", "s3", event="login", cid="c3", expect=ACC)  # due: exactly 60 s
    s.event(DEC1 - M, "ws", "s3", event="login", cid="c3", expect=filtered("duplicate"))  # changes usage (breakdown) but not due
    s.event(DEC1, "ws", "s4", event="login", cid="c1", expect=ACC)  # new month, due
    s.event(DEC1 + 1, "ws", "s5", event="login", cid="c2", context={"user_agent": "bot"}, expect=filtered("bot"))
    s.event(DEC1 + M + 1, "ws", "s6", event="login", cid="c2", src="smoke_x", expect=filtered("smoke"))
    s.output("usage", kind="usage_snapshot", month="2026-11", mau=1, accepted_events_month=1)
    s.output("usage", kind="usage_snapshot", month="2026-11", mau=3, accepted_events_month=3)
    s.output("usage", kind="usage_snapshot", month="2026-12", mau=1, accepted_events_month=1, breakdown={"accepted": 1})
    s.output("usage", kind="usage_snapshot", month="2026-12", mau=1, accepted_events_month=1, breakdown={"accepted": 1, "bot": 1, "smoke": 1}, quality={"validation_pass_rate": 1, "duplicate_rate": 0, "ghost_rate": 0.6667})
    s.count("usage", 4 + 4)
    s.write()

def edges_conn():
    s = Story("edges_conn")
    s.config(T0, "ws", "org", "trial", mau_mode="connections", limits={"mau_included": 2, "unique_event_names": 1})
    s.config(T0, "ws", "org", "trial", mau_mode="connections", limits={"mau_included": 1000, "bogus": 1})  # ignored as a whole
    c = lambda t, cid, ev, conn, mid, exp=ACC: s.event(t, "ws", mid, type_="connection", event=ev, cid=cid, context={"connection_id": conn}, expect=exp)
    c(T0, "a", "connect", "1", "k1")
    c(T0 + 1, "b", "connect", "2", "k2")   # MAU 2 = included: T = T0+1
    c(T0 + 1 + 3 * D, "c", "connect", "3", "k3")   # t = T + 3d: not yet
    c(T0 + 2 + 3 * D, "d", "connect", "4", "k4", dict(verdict="over_cap", reason="mau_limit"))
    c(T0 + 2 + 3 * D, "d", "disconnect", "4", "k5")
    c(T0 + 2 + 3 * D, "d", "ping", "4", "k6")
    c(T0 + 3 + 3 * D, "a", "connect", "5", "k7")
    s.event(T0 + 3 + 3 * D, "ws", "k8", event="n_1", cid="a", expect=ACC)
    s.event(T0 + 3 + 3 * D, "ws", "k9", event="n_2", cid="a", expect=ACC)  # cap 1 (2nd config ignored): grace opens
    s.output("events-over-cap", message_id="k4", contact_key="d", event="connect", verdict="over_cap", reason="mau_limit")
    s.output("governance-audit", kind="grace_opened", event="n_2")
    s.write()

def edges_consent2():
    s = Story("edges_consent2")
    s.config(T0, "ws", "org", "trial", consent_mode=True, consent_default="denied", limits={"unique_event_names": 2, "contact_events_per_second": 1})
    for i in range(5):
        s.event(T0, "ws", "h%d" % i, event="n_%d" % i, cid="c1", expect=dict(verdict="deferred", category="analytics"))
    s.event(T0, "ws", "h0", event="n_0", cid="c1", expect=filtered("duplicate"))
    s.event(T0 + 1, "ws", "g1", type_="consent", cid="c1", properties={"analytics": True, "marketing": "yes"}, expect=ACC)
    s.event(T0 + 2, "ws", "g2", event="n_0", cid="c1", expect=ACC)
    s.event(T0 + 2, "ws", "g3", event="n_1", cid="c1", expect=ACC)
    s.event(T0 + 2, "ws", "g4", event="login", cid="c1", expect=dict(verdict="rate_limited", level="contact"))
    s.output("events-accepted", message_id="g1")
    s.output("events-accepted", message_id="h0", governance=dict(released_from_deferral=True))
    s.output("events-accepted", message_id="h1", governance=dict(released_from_deferral=True))
    s.output("events-accepted", message_id="h2", governance=dict(released_from_deferral=True, cap_phase="grace"))
    s.output("events-accepted", message_id="h3", governance=dict(released_from_deferral=True, cap_phase="grace"))
    s.output("events-accepted", message_id="h4", governance=dict(released_from_deferral=True, cap_phase="grace"))
    s.output("governance-audit", kind="grace_opened", event="n_2", stream_time_ms=T0 + 1)
    s.write()


# Second spec audit (session 5): record-file line forms, null-vs-absent fields, the SDK
# hint's exact value, notification fields and the monthly/24 h interplay, config edge
# cases, passive and never-active names, more trait keys. Expectations by hand from SPEC.
def murmur3_x86_32(data, seed):
    """MurmurHash3 x86_32 (public domain reference algorithm), unsigned."""
    c1, c2, mask = 0xcc9e2d51, 0x1b873593, 0xffffffff
    h = seed & mask
    n = len(data) // 4 * 4
    for i in range(0, n, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xe6546b64) & mask
    tail, k = data[n:], 0
    if len(tail) >= 3:
        k ^= tail[2] << 16
    if len(tail) >= 2:
        k ^= tail[1] << 8
    if len(tail) >= 1:
        k ^= tail[0]
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85ebca6b) & mask
    h ^= h >> 13
    h = (h * 0xc2b2ae35) & mask
    h ^= h >> 16
    return h


def hint(ws, org, names, remaining, grace):
    """The SDK hint of SPEC §7 for registered `names`, computed from its rules."""
    m = 1024
    while m < max(1024, -(-96 * len(names) // 10)):
        m *= 2
    bits = bytearray(m // 8)
    for name in names:
        h1, h2 = murmur3_x86_32(name.encode(), 0), murmur3_x86_32(name.encode(), 1)
        for i in range(7):
            j = (h1 + i * h2) % m
            bits[j >> 3] |= 1 << (j & 7)
    return dict(propertyId=ws, organizationId=org, eventGovernance=dict(
        bloom_algo="mmh3_x86_32_km", seed_a=0, seed_b=1, k=7, m=m, bloom_b64=base64.b64encode(bytes(bits)).decode(),
        remaining_new_names=remaining, grace_active=grace, ttl_seconds=300))


def absent(expect, *names):
    """`expect` plus a check that the verdict line has none of `names` (SPEC: "when there is one")."""
    return dict(expect, **{"$absent": list(names)})


def edges_file():
    s = Story("edges_file")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": -1})
    s.raw(T0 + 1, "ws", value="hello", expect=absent(dlq("malformed_json"), "message_id"))  # a JSON string value: its serialization, not an object
    s.raw(T0 + 1, "ws", value=42, expect=dlq("malformed_json"))
    s.lines.append("")  # a blank line still counts in line numbers
    # `value` written with spaces and a \u escape: the record's bytes are its compact
    # serialization, keys in file order, non-ASCII as UTF-8 (SPEC §12.1)
    s.lines.append('{"topic": "raw-events", "key": "ws", "timestamp_ms": %d, "value": {"message_id": "f1", "workspace_id": "ws", '
                   '"source_id": "web", "type": "Track", "event": "caf\\u00e9", "customer_id": "c1", "properties": {"b": 1, "a": [1, 2]}}}' % (T0 + 2))
    s.expected.append(dict(line=len(s.lines), message_id="f1", verdict="dlq", reason="unknown_type"))
    compact = '{"message_id":"f1","workspace_id":"ws","source_id":"web","type":"Track","event":"café","customer_id":"c1","properties":{"b":1,"a":[1,2]}}'
    # an envelope without timestamp_ms takes the previous line's
    s.lines.append(json.dumps(dict(topic="raw-events", key="ws", value=dict(message_id="f2", workspace_id="ws", source_id="web", type="track", event="login", customer_id="c1"))))
    s.expected.append(dict(line=len(s.lines), message_id="f2", verdict="accepted", **{"$absent": ["reason"]}))
    s._add(dict(topic="usage", key="ws", timestamp_ms=T0 + 3, value={"kind": "whatever"}), None)  # a topic check does not govern: no verdict line
    s.outbound(T0 + 3, "ws", "o1", "c1", value=None)
    s.lines[-1] = json.dumps(dict(topic="outbound-messages", key="ws", timestamp_ms=T0 + 3, value_b64=base64.b64encode(b"not json").decode()))
    s.expected.append(dict(line=len(s.lines), verdict="dlq", reason="malformed_json", **{"$absent": ["message_id"]}))
    s.raw(T0 + 4, None, value=dict(message_id="f3", workspace_id="ws", source_id="web", type="track", event="login", customer_id="c2"), expect=ACC)
    s.raw(T0 + 4, None, b64=b"\x00\x01", expect=dlq("malformed_json"))
    s.raw(T0 + 5, "ws", value=[{"message_id": "f4"}], expect=dlq("malformed_json"))
    s.output("events-dlq", key="ws", scope="event", reason="malformed_json", workspace_id="ws", original_value_b64=base64.b64encode(b'"hello"').decode(), original_key="ws", original_headers=[], origin=dict(topic="raw-events", partition=0, offset=0), stream_time_ms=T0 + 1)
    s.output("events-dlq", key="ws", reason="malformed_json", original_value_b64=base64.b64encode(b"42").decode(), origin=dict(topic="raw-events", partition=0, offset=1))
    s.output("events-dlq", key="ws", reason="unknown_type", message_id="f1", original_value_b64=base64.b64encode(compact.encode()).decode(), origin=dict(topic="raw-events", partition=0, offset=2), stream_time_ms=T0 + 2)
    s.output("events-dlq", key="ws", reason="malformed_json", workspace_id="ws", original_key="ws", origin=dict(topic="outbound-messages", partition=0, offset=0), stream_time_ms=T0 + 3)
    s.output("events-dlq", key=None, reason="malformed_json", workspace_id=None, original_key=None, original_value_b64="AAE=", origin=dict(topic="raw-events", partition=0, offset=5))
    s.output("events-dlq", key="ws", reason="malformed_json", original_value_b64=base64.b64encode(b'[{"message_id":"f4"}]').decode(), origin=dict(topic="raw-events", partition=0, offset=6), stream_time_ms=T0 + 5)
    s.output("events-accepted", key="ws", message_id="f2", contact_key="c1", governance=dict(verdict="accepted", stream_time_ms=T0 + 2, origin=dict(topic="raw-events", partition=0, offset=3)))
    s.output("events-accepted", key="ws", message_id="f3", contact_key="c2", governance=dict(origin=dict(topic="raw-events", partition=0, offset=4)))
    s.count("events-dlq", 6)
    s.count("events-accepted", 2)
    s.write()

def edges_hint():
    s = Story("edges_hint")
    s.config(T0, "ws_h", "org_h", "trial", limits={"unique_event_names": 2})
    s.event(T0 + 1, "ws_h", "h1", event="alpha_one", cid="c1", expect=ACC)
    s.event(T0 + 2, "ws_h", "h2", event="alpha_one", cid="c1", expect=ACC)  # registered: no change, no hint
    s.event(T0 + 3, "ws_h", "h3", event="purchase", cid="c1", expect=ACC)   # standard: not a member
    s.event(T0 + 4, "ws_h", "h4", type_="page", cid="c1", expect=ACC)
    s.event(T0 + 5, "ws_h", "h5", event="beta_two", cid="c1", expect=ACC)
    s.event(T0 + 6, "ws_h", "h6", event="gamma_three", cid="c1", expect=ACC)  # first breach: grace
    s.event(T0 + 7, "ws_h", "h7", event="delta_four", cid="c1", expect=ACC)   # grace pass: not registered
    s.config(T0 + H, "ws_h", "org_h", "growth")  # cap 2 -> 100 during grace: cleared
    s.event(T0 + H + 1, "ws_h", "h8", event="epsilon_five", cid="c1", expect=ACC)
    s.config(T0, "ws_e", "org_h", "enterprise")
    s.event(T0 + 1, "ws_e", "e1", event="zeta_six", cid="c1", expect=ACC)
    s.output("governance-hints", key="ws_h", **hint("ws_h", "org_h", [], 2, False))
    s.output("governance-hints", key="ws_h", **hint("ws_h", "org_h", ["alpha_one"], 1, False))
    s.output("governance-hints", key="ws_h", **hint("ws_h", "org_h", ["alpha_one", "beta_two"], 0, False))
    s.output("governance-hints", key="ws_h", **hint("ws_h", "org_h", ["alpha_one", "beta_two"], 0, True))
    s.output("governance-hints", key="ws_h", **hint("ws_h", "org_h", ["alpha_one", "beta_two"], 98, False))
    s.output("governance-hints", key="ws_h", **hint("ws_h", "org_h", ["alpha_one", "beta_two", "epsilon_five"], 97, False))
    s.output("governance-hints", key="ws_e", **hint("ws_e", "org_h", [], -1, False))
    s.output("governance-hints", key="ws_e", **hint("ws_e", "org_h", ["zeta_six"], -1, False))
    s.count("governance-hints", 8)
    s.output("governance-audit", key="ws_h", kind="grace_cleared", workspace_id="ws_h")
    s.write()

def edges_hint_m():
    # more than 106 members: m = the smallest power of two >= ceil(9.6 * 107) = 1028 -> 2048
    s = Story("edges_hint_m")
    s.config(T0, "ws", "org", "scale")
    names = ["name_%03d" % i for i in range(107)]
    for i, n in enumerate(names):
        s.event(T0 + i * S, "ws", "m%d" % i, event=n, cid="c1", expect=ACC)
    s.output("governance-hints", key="ws", **hint("ws", "org", names[:106], 200 - 106, False))
    s.output("governance-hints", key="ws", **hint("ws", "org", names, 200 - 107, False))
    s.count("governance-hints", 108)
    s.write()

def edges_notif():
    s = Story("edges_notif")
    s.config(DEC1 - 2 * H, "wn", "on", "trial", limits={"mau_included": 5, "unique_event_names": 1, "events_per_month": -1})
    t1 = DEC1 - H
    for i in range(1, 5):  # 4 of 5 = 80 % in November
        s.event(t1 + i, "wn", "n%d" % i, event="login", cid="c%d" % i, expect=ACC)
    t2 = DEC1 + 30 * M
    for i in range(1, 5):  # 80 % again in December: requested (once per month), swallowed (same key within 24 h)
        s.event(t2 + i, "wn", "d%d" % i, event="login", cid="c%d" % i, expect=ACC)
    s.event(t2 + 5, "wn", "d5", event="login", cid="c5", expect=ACC)  # 100 %: its own key
    s.event(t2 + 6, "wn", "d6", event="x_1", cid="c5", expect=ACC)
    s.event(t2 + 7, "wn", "d7", event="x_2", cid="c5", expect=ACC)  # grace opens: event_name_cap
    lvl80 = dict(org_id="on", workspace_id="wn", cap_type="mau_threshold", level=80, stream_time_ms=t1 + 4)
    s.output("governance-notifications", key="on", surface="activity_feed", card_type="system", event_id="governance.cap_exceeded", **lvl80)
    s.output("governance-notifications", key="on", surface="in_app_admin", **lvl80)
    s.output("governance-notifications", key="on", surface="email_admin", template="tenant_quota_cap_exceeded", **lvl80)
    s.output("governance-notifications", key="on", surface="ops", **lvl80)
    for surf in ["activity_feed", "in_app_admin", "email_admin", "ops"]:
        s.output("governance-notifications", key="on", org_id="on", workspace_id="wn", cap_type="mau_threshold", level=100, surface=surf, stream_time_ms=t2 + 5)
    cap = dict(org_id="on", workspace_id="wn", cap_type="event_name_cap", stream_time_ms=t2 + 7)
    s.output("governance-notifications", key="on", surface="activity_feed", card_type="system", event_id="governance.cap_exceeded", **cap)
    s.outputs[-1]["absent"] = ["level", "template"]
    s.output("governance-notifications", key="on", surface="in_app_admin", **cap)
    s.output("governance-notifications", key="on", surface="email_admin", template="tenant_quota_cap_exceeded", **cap)
    s.outputs[-1]["absent"] = ["level", "card_type"]
    s.output("governance-notifications", key="on", surface="ops", **cap)
    s.outputs[-1]["absent"] = ["level", "template", "card_type"]
    s.count("governance-notifications", 12)
    s.output("usage", key="wn", kind="usage_snapshot", month="2026-11", mau=1, overage_packs=0)
    s.write()

def edges_config():
    s = Story("edges_config")
    s.config(T0, "ws_u", "org", "pro")  # unknown plan: ignored as a whole
    s.event(T0 + 1, "ws_u", "u1", event="login", cid="c1", expect=dlq("unknown_workspace"))
    s.config(T0, "ws_d", "org", "trial")  # defaults: active_events, consent off
    s.event(T0 + 1, "ws_d", "d1", event="campaign_x", cid="c1", expect=ACC)
    s.config(T0 + 2, "ws_d", "org", "trial", consent_mode=True, consent_default="maybe")  # invalid: previous stays
    s.event(T0 + 3, "ws_d", "d2", event="campaign_y", cid="c2", expect=ACC)
    s.config(T0 + 4, "ws_d", "org", "trial", consent_mode=True)  # default granted
    s.event(T0 + 5, "ws_d", "d3", event="campaign_z", cid="c3", expect=ACC)
    s.config(T0 + 6, "ws_d", "org", "trial", consent_mode=True, consent_default="denied")
    s.event(T0 + 7, "ws_d", "d4", event="campaign_w", cid="c4", expect=dict(verdict="deferred", reason="consent_denied", category="marketing"))
    s.event(T0 + 7, "ws_d", "d5", type_="identify", cid="c4", expect=ACC)  # functional: granted
    s.event(T0 + 8, "ws_u2", "d1", event="login", cid="c1", expect=dlq("unknown_workspace"))
    s.config(T0 + 8, "ws_u2", "org", "trial")
    s.event(T0 + 9, "ws_u2", "d1", event="login", cid="c1", expect=ACC)  # same message_id, other workspace: not a duplicate
    s.config(T0, "ws_r", "org", "trial", limits={"contact_events_per_second": -1, "unique_event_names": -1})
    for i in range(25):  # trial contact bucket would hold 20; unlimited passes all
        s.event(T0 + 10, "ws_r", "r%d" % i, event="login", cid="c1", expect=ACC)
    s.config(T0 + 11, "ws_r", "org", "trial", limits={"contact_events_per_second": "5"})  # not an integer: ignored
    for i in range(25, 30):
        s.event(T0 + 12, "ws_r", "r%d" % i, event="login", cid="c1", expect=ACC)
    s.config(T0, "ws_z", "org", "trial", limits={"unique_event_names": 0})
    s.event(T0 + 1, "ws_z", "z1", event="novel_one", cid="c1", expect=ACC)  # first-ever breach at cap 0: grace
    s.event(T0 + 2, "ws_z", "z2", event="novel_one", cid="c1", expect=ACC)
    s.config(T0, "ws_m", "org", "trial")
    s.outbound(T0 + 1, "ws_m", "o1", "c1", expect=dict(verdict="allowed", limit=2, count=1))
    s.outbound(T0 + 2, "ws_m", "o2", "c1", expect=dict(verdict="allowed", limit=2, count=2))
    s.outbound(T0 + 3, "ws_m", "o3", "c1", expect=dict(verdict="capped", reason="messaging_cap", limit=2, count=2))
    s.config(T0 + 4, "ws_m", "org", "growth")  # 5 a day from now on; today's sends still count
    s.outbound(T0 + 5, "ws_m", "o4", "c1", expect=dict(verdict="allowed", limit=5, count=3))
    s.output("events-accepted", key="ws_z", message_id="z1", governance=dict(verdict="accepted", cap_phase="grace"))
    s.output("events-accepted", key="ws_z", message_id="z2", governance=dict(verdict="accepted", cap_phase="grace"))
    s.output("governance-audit", key="ws_z", kind="cap_hit", workspace_id="ws_z", event="novel_one", phase="grace")
    s.outputs[-1]["unordered"] = True
    s.output("governance-audit", key="ws_z", kind="grace_opened", workspace_id="ws_z")
    s.outputs[-1]["unordered"] = True
    s.count("governance-audit", 3)
    s.output("usage", key="ws_d", kind="mau_first_active", workspace_id="ws_d", month="2026-11", contact_key="c1", event="campaign_x", message_id="d1")
    s.output("events-accepted", key="ws_d", message_id="d1")
    s.outputs[-1]["absent"] = ["governance.cap_phase", "governance.released_from_deferral"]
    s.outputs[-1]["unordered"] = True
    s.write()

def edges_meter():
    s = Story("edges_meter")
    s.config(T0, "wa", "oa", "trial", limits={"mau_included": -1, "events_per_month": -1})
    t = T0 + S
    s.event(t, "wa", "a1", type_="identify", cid="c1", expect=ACC)   # passive (SDK list)
    s.event(t + 1, "wa", "a2", type_="alias", cid="c2", expect=ACC)  # passive
    s.event(t + 2, "wa", "a3", type_="group", cid="c3", expect=ACC)  # passive
    s.event(t + 3, "wa", "a4", type_="consent", cid="c4", expect=ACC)  # never active
    s.event(t + 4, "wa", "a5", type_="delete", cid="c5", expect=ACC)   # never active
    s.event(t + 5, "wa", "a6", type_="connection", event="connect", cid="c6", context={"connection_id": "k"}, expect=ACC)  # never active
    s.event(t + 6, "wa", "a7", type_="page", cid="c7", expect=ACC)     # page_view: active
    s.event(t + 7, "wa", "a8", type_="screen", cid="c8", expect=ACC)   # screen_view: active
    s.event(t + 8, "wa", "a9", event="email.custom_x", cid="c9", expect=ACC)   # email. prefix: passive
    s.event(t + 9, "wa", "a10", event="aegis.anything", cid="c10", expect=ACC)  # aegis. prefix: passive
    s.event(t + 10, "wa", "a11", event="my_thing", cid="c11", expect=ACC)  # custom: active
    s.event(t + 11, "wa", "a12", event="session_start", cid="c12", expect=ACC)  # passive
    s.event(t + 12, "wa", "a13", event="warehouse_row_upserted", cid="c13", expect=ACC)  # passive
    s.event(t + 13, "wa", "a14", event="push.opened", cid="c14", expect=ACC)  # passive
    s.event(t + M, "wa", "a15", event="login", cid="c7", expect=ACC)  # snapshot due: 60 s after the first
    for c, e, m in [("c7", "page_view", "a7"), ("c8", "screen_view", "a8"), ("c11", "my_thing", "a11")]:
        s.output("usage", key="wa", kind="mau_first_active", workspace_id="wa", month="2026-11", contact_key=c, event=e, message_id=m)
    s.output("usage", key="wa", kind="usage_snapshot", workspace_id="wa", month="2026-11", mau_mode="active_events", mau=3, accepted_events_month=15, overage_packs=0,
             breakdown={"accepted": 15}, quality={"validation_pass_rate": 1, "duplicate_rate": 0, "ghost_rate": 0, "unique_names_used": 1, "unique_names_cap": 50})
    s.count("governance-notifications", 0)
    s.count("usage", 3 + 2)
    s.write()

def edges_dlq():
    s = Story("edges_dlq")
    s.config(T0, "ws", "org", "trial")
    s.raw(T0 + 1, "ws", b64=b"{bad", expect=absent(dlq("malformed_json"), "message_id", "field"))
    s.event(T0 + 2, "ws", "q1", event="deep", cid="c1", properties={"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": 1}}}}}}}}}}, expect=dict(dlq("too_deeply_nested"), message_id="q1"))
    s.raw(T0 + 3, None, value=dict(message_id="q2", workspace_id=7, source_id="web", type="track", event="x", customer_id="c1"), expect=dict(dlq("invalid_field", field="workspace_id"), message_id="q2"))
    s.event(T0 + 4, "ws", "q3", type_="identify", cid="c1", traits={"$x": 1}, expect=ACC)
    s.output("events-dlq", key="ws", scope="event", reason="malformed_json", workspace_id="ws", original_key="ws", original_headers=[], origin=dict(topic="raw-events", partition=0, offset=0), stream_time_ms=T0 + 1)
    s.outputs[-1]["absent"] = ["field", "trait_key", "action"]
    s.outputs[-1]["present"] = ["detail", "dlq_at"]
    s.output("events-dlq", key="ws", scope="event", reason="too_deeply_nested", workspace_id="ws", message_id="q1", stream_time_ms=T0 + 2)
    s.outputs[-1]["present"] = ["detail", "original_value_b64"]
    s.output("events-dlq", key=None, scope="event", reason="invalid_field", field="workspace_id", message_id="q2", original_key=None)
    s.outputs[-1]["present"] = ["detail"]
    s.output("events-dlq", key="ws", scope="trait", reason="reserved_prefix", trait_key="$x", action="dropped", workspace_id="ws", message_id="q3", origin=dict(topic="raw-events", partition=0, offset=3), stream_time_ms=T0 + 4)
    s.outputs[-1]["absent"] = ["original_value_b64", "original_key", "original_headers"]
    s.outputs[-1]["present"] = ["detail", "dlq_at"]
    s.write()

def edges_traits3():
    s = Story("edges_traits3")
    s.config(T0, "ws", "org", "trial")
    tr = {"user.id": 1, "Loyalty.tier": "g", "cart.x": 1, "bill.y": 1, "AEGIS.z": 1, "utf8Name": "n", "first-name.x y": "v",
          "seen_at": "2024-02-29T12:00:00", "paid_date": "1709164800000", "long": "l" * 4096, "名前": "x", "ÄrgerLevel": 3,
          "expires": "2024-02-29T12:00:00Z", "created": True}
    s.event(T0, "ws", "t1", type_="identify", cid="c1", traits=tr, expect=ACC)
    s.output("events-accepted", message_id="t1", traits={"utf8_name": "n", "first_name_x_y": "v", "seen_at": 1709208000000, "paid_date": 1709164800000,
                                                          "long": "l" * 256, "名前": "x", "ärger_level": 3, "expires": 1709208000000})
    for k, r, a in [("user.id", "reserved_prefix", "dropped"), ("Loyalty.tier", "reserved_prefix", "dropped"), ("cart.x", "reserved_prefix", "dropped"),
                    ("bill.y", "reserved_prefix", "dropped"), ("AEGIS.z", "reserved_prefix", "dropped"), ("long", "value_too_long", "truncated"),
                    ("created", "bad_date_format", "dropped")]:
        s.output("events-dlq", key="ws", scope="trait", reason=r, trait_key=k, action=a, workspace_id="ws", message_id="t1", stream_time_ms=T0)
        s.outputs[-1]["unordered"] = True
    s.count("events-dlq", 7)
    s.write()

def edges_cap2():
    s = Story("edges_cap2")
    s.config(T0, "ws", "org", "trial", limits={"unique_event_names": 3})
    for i in (1, 2, 3):
        s.event(T0, "ws", "a%d" % i, event="a_%d" % i, cid="c1", expect=ACC)
    s.config(T0 + 1, "ws", "org", "trial", limits={"unique_event_names": 1})  # downgrade: registered names still pass
    s.event(T0 + 2, "ws", "b1", event="a_2", cid="c1", expect=ACC)
    s.event(T0 + 2, "ws", "b2", event=" a_1 ", cid="c1", expect=ACC)  # trimmed: the registered a_1
    s.event(T0 + 2, "ws", "b3", type_="page", event="zzz_custom", cid="c1", expect=ACC)  # implicit page_view: not counted
    s.event(T0 + 2, "ws", "b4", type_="connection", event="custom_conn", cid="c1", context={"connection_id": "k"}, expect=ACC)  # not a track name
    s.event(T0 + 2, "ws", "b5", event="login", cid="c1", expect=ACC)  # standard
    s.event(T0 + 3, "ws", "b6", event="b_1", cid="c1", expect=ACC)  # first-ever breach: grace
    s.output("governance-audit", key="ws", kind="cap_hit", workspace_id="ws", event="b_1", phase="grace")
    s.output("governance-audit", key="ws", kind="grace_opened", workspace_id="ws")
    s.count("governance-audit", 2)
    s.output("events-accepted", message_id="b2", event=" a_1 ")
    s.outputs[-1]["absent"] = ["governance.cap_phase"]
    s.output("events-accepted", message_id="b3", event="page_view")
    s.output("events-accepted", message_id="b6", governance=dict(cap_phase="grace"))
    s.write()

def edges_out2():
    s = Story("edges_out2")
    s.config(T0, "ws", "org", "trial")
    s.outbound(T0, "ws", "o1", "c1", value=dict(message_id="o1", workspace_id="other", contact_key="c1", channel="sms"), expect=dlq("workspace_mismatch"))
    s.outbound(T0, "ws", "o2", "c1", value=dict(message_id="o2", workspace_id="ws", contact_key="c1", channel="whatsapp", pad="x" * 32800), expect=dlq("payload_too_large"))
    s.outbound(T0, "ws", "o3", "c1", channel="rcs", expect=dict(verdict="allowed", limit=2, count=1, resets_at="2026-11-19T00:00:00Z"))
    s.outbound(T0, "ws", "o4", "c1", value=dict(message_id="o4", workspace_id="ws", contact_key="c1"), expect=dlq("missing_field", field="channel"))
    s.outbound(T0, "ws", "o5", "c1", channel="whatsapp", expect=absent(dict(verdict="allowed", limit=2, count=2), "reason"))
    s.output("outbound-verdicts", key="ws", message_id="o5", workspace_id="ws", contact_key="c1", channel="whatsapp", verdict="allowed", limit=2, count=2, resets_at="2026-11-19T00:00:00Z", origin=dict(topic="outbound-messages", partition=0, offset=4), stream_time_ms=T0)
    s.output("events-dlq", key="ws", scope="event", reason="workspace_mismatch", message_id="o1", workspace_id="ws", origin=dict(topic="outbound-messages", partition=0, offset=0))
    s.count("outbound-verdicts", 2)
    s.count("events-dlq", 3)
    s.write()

def edges_consent3():
    s = Story("edges_consent3")
    s.config(T0, "ws", "org", "trial", consent_mode=True, limits={"unique_event_names": -1})  # default granted
    s.event(T0, "ws", "k1", event="viewed", cid="c1", expect=ACC)
    s.event(T0 + 1, "ws", "k2", type_="consent", cid="c1", properties={"analytics": False}, expect=ACC)
    s.event(T0 + 2, "ws", "k3", event="viewed", cid="c1", expect=dict(verdict="deferred", reason="consent_denied", category="analytics"))
    s.event(T0 + 3, "ws", "k4", event="campaign_a", cid="c1", expect=ACC)  # marketing still granted by default
    s.event(T0 + 4, "ws", "k5", event="viewed", cid="c2", expect=ACC)  # per contact
    s.event(T0 + 5, "ws", "k6", event="viewed", cid="c1", context={"consent_category": "marketing"}, expect=ACC)
    s.event(T0 + 6, "ws", "k7", type_="consent", cid="c1", properties={"analytics": True}, expect=ACC)
    s.config(T0, "wo", "org", "trial", limits={"unique_event_names": -1})  # consent_mode off
    s.event(T0 + 7, "wo", "k8", type_="consent", cid="c1", properties={"analytics": False}, expect=ACC)
    s.event(T0 + 8, "wo", "k9", event="viewed", cid="c1", expect=ACC)
    s.output("events-deferred", key="ws", message_id="k3", workspace_id="ws", contact_key="c1", event="viewed", verdict="deferred", reason="consent_denied", category="analytics",
             origin=dict(topic="raw-events", partition=0, offset=2), stream_time_ms=T0 + 2)
    s.outputs[-1]["absent"] = ["level", "retry_after_ms", "released_from_deferral"]
    s.output("events-accepted", key="ws", message_id="k7")
    s.output("events-accepted", key="ws", message_id="k3", governance=dict(verdict="accepted", released_from_deferral=True, stream_time_ms=T0 + 2), settled_at_ms=T0 + 6)
    s.count("events-deferred", 1)
    s.write()


def edges_plans():
    # SPEC §5's plan table, per plan: the per-contact rate (burst 2x, retry after 1/rate s),
    # messages per contact per day (the outbound `limit`) and the unique-name cap
    # (the snapshot's `unique_names_cap`, -1 unlimited).
    s = Story("edges_plans")
    figures = [("trial", 10, 2, 50), ("growth", 20, 5, 100), ("scale", 50, 10, 200), ("enterprise", 100, 20, -1)]
    for plan, rate, per_day, names in figures:
        ws = "w_" + plan
        s.config(T0, ws, "org", plan)
        for i in range(2 * rate):
            s.event(T0 + S, ws, "%s_%d" % (plan, i), event="login", cid="c1", expect=ACC)
        s.event(T0 + S, ws, "%s_x" % plan, event="login", cid="c1", expect=RL("contact", -(-1000 // rate)))
        s.outbound(T0 + S, ws, "%s_o" % plan, "c1", expect=dict(verdict="allowed", limit=per_day, count=1))
        s.output("usage", key=ws, kind="usage_snapshot", workspace_id=ws, quality=dict(unique_names_cap=names))
        s.outputs[-1]["unordered"] = True
    s.write()


for story in [validation, dedup, ghosts, consent, rate_limits, name_cap, traits, mau_active, mau_rolling, connections, messaging, notifications,
              edges_rate, edges_msg, edges_usage, edges_prec, edges_grace, edges_month, edges_consent, edges_debounce, edges_traits, edges_bare, edges_rolling, edges_traits2, edges_fields, edges_snap, edges_conn, edges_consent2,
              edges_file, edges_hint, edges_hint_m, edges_notif, edges_config, edges_meter, edges_dlq, edges_traits3, edges_cap2, edges_out2, edges_consent3, edges_plans]:
    story()
