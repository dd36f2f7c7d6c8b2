/// `/`: the DLQ review page. Plain HTML and a little JavaScript over the JSON API
/// (no build step): filters, a chart of counts by reason over time (inline SVG),
/// the table with keyset paging, a record's detail, selection and bulk replay
/// with a confirmation of how many records go where, and the audit log.
enum ReviewPage {
    static let html = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>DLQ review · Event Governor</title>
        <style>\(consoleStyle)</style></head><body>
        <header><strong>Event Governor</strong><a class="here" href="/">DLQ review</a><a href="/usage">Usage</a>
        <span id="status" class="muted"></span></header>
        <main>
        <form class="filters" id="filters">
          <label>Reason<select id="f-reason" name="reason"><option value="">any</option></select></label>
          <label>Workspace<input id="f-workspace" name="workspace" list="workspaces" size="14"><datalist id="workspaces"></datalist></label>
          <label>Scope<select id="f-scope" name="scope"><option value="">any</option><option>event</option><option>outbound</option><option>trait</option></select></label>
          <label>Since (ISO-8601 or ms)<input id="f-since" name="since" size="20" placeholder="2026-11-01"></label>
          <label>Until<input id="f-until" name="until" size="20"></label>
          <label>Text<input id="f-q" name="q" size="18" placeholder="message id, detail, value…"></label>
          <button id="apply" type="submit">Apply</button><button id="reset" type="button">Reset</button>
        </form>
        <h2>Records by reason over time</h2><div id="chart"></div>
        <h2><span id="total">…</span> matching records</h2>
        <div style="margin:6px 0"><button id="replay-selected" disabled>Replay selected (0)</button>
        <button id="replay-filter">Replay all matching…</button> <span id="replay-result"></span></div>
        <table id="records"><thead><tr><th><input type="checkbox" id="select-page" title="select this page"></th><th>Record</th><th>Stream time</th><th>Scope</th>
        <th>Reason</th><th>Workspace</th><th>Message id</th><th>Origin</th><th>Detail</th></tr></thead><tbody></tbody></table>
        <button id="more" style="margin-top:6px" hidden>Load more</button>
        <section id="detail" hidden></section>
        <h2>Replay audit (dlq-replays)</h2>
        <table id="audit"><thead><tr><th>When</th><th>Reviewer</th><th>Via</th><th>Selection</th><th>Records</th><th>To</th><th>Trait refused</th><th>Replay id</th></tr></thead><tbody></tbody></table>
        </main>
        <dialog id="confirm-dialog"><form method="dialog" id="confirm-form">
          <h3>Confirm replay</h3><p id="confirm-text"></p>
          <p class="muted">Records are re-produced byte for byte with replay headers. A record replayed before becomes a
          filtered/duplicate verdict if its first replay was accepted (SPEC §6 step 11).</p>
          <label>Reviewer <input id="reviewer" required></label><br><br>
          <label>Replay token <input id="token" type="password" required></label>
          <p id="confirm-error" class="over"></p>
          <button id="confirm" value="ok">Replay</button> <button id="cancel" value="cancel" formnovalidate>Cancel</button>
        </form></dialog>
        <script>
        const $ = (s) => document.querySelector(s);
        const esc = (t) => String(t ?? '').replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
        const iso = (ms) => new Date(ms).toISOString();
        let cursor = null, selected = new Set(), pending = null;
        function filterParams() {
          const p = new URLSearchParams();
          for (const k of ['reason','workspace','scope','since','until','q']) { const v = $('#f-' + k).value.trim(); if (v) p.set(k, v); }
          return p;
        }
        function filterObject() { return Object.fromEntries(filterParams()); }
        async function getJSON(url, options) {
          const r = await fetch(url, options);
          const text = await r.text();
          let body; try { body = JSON.parse(text); } catch { body = {error: text}; }
          if (!r.ok) throw new Error(body.error?.message || body.error || text || r.statusText);
          return body;
        }
        async function loadFacets() {
          const f = await getJSON('/api/facets');
          const sel = $('#f-reason'), current = sel.value;
          sel.innerHTML = '<option value="">any</option>' + f.reasons.map(r => `<option value="${esc(r.name)}">${esc(r.name)} (${r.count})</option>`).join('');
          sel.value = current;
          $('#workspaces').innerHTML = f.workspaces.map(w => `<option value="${esc(w.name)}">`).join('');
          const s = await getJSON('/api/status');
          $('#status').textContent = `${s.dlq_records} DLQ records indexed · ${s.replays} replays` + (s.replay_enabled ? '' : ' · replay disabled (no token)');
        }
        async function loadRecords(append) {
          const p = filterParams(); p.set('limit', '50'); if (append && cursor) p.set('cursor', cursor);
          const page = await getJSON('/api/records?' + p);
          $('#total').textContent = page.total;
          const body = $('#records tbody');
          if (!append) body.innerHTML = '';
          for (const r of page.records) {
            const tr = document.createElement('tr');
            tr.dataset.id = r.id;
            tr.innerHTML = `<td><input type="checkbox" class="pick" ${r.replayable ? '' : 'disabled title="trait-scope records are not replayed"'}></td>
              <td>${esc(r.id)}</td><td>${iso(r.stream_time_ms)}</td><td>${esc(r.scope)}</td>
              <td>${esc(r.reason)}${r.field ? ' <span class="muted">' + esc(r.field) + '</span>' : ''}${r.replayed ? ' <span class="pill ok">replayed</span>' : ''}</td>
              <td>${esc(r.workspace_id)}</td><td>${esc(r.message_id)}</td><td>${esc(r.origin)}</td><td>${esc(r.detail)}</td>`;
            tr.querySelector('.pick').checked = selected.has(r.id);
            tr.querySelector('.pick').addEventListener('click', (e) => { e.stopPropagation(); toggle(r.id, e.target.checked, tr); });
            tr.addEventListener('click', () => showDetail(r.id));
            body.appendChild(tr);
          }
          cursor = page.next; $('#more').hidden = !page.next;
        }
        function toggle(id, on, tr) {
          on ? selected.add(id) : selected.delete(id);
          tr?.classList.toggle('sel', on);
          $('#replay-selected').textContent = `Replay selected (${selected.size})`;
          $('#replay-selected').disabled = selected.size === 0;
        }
        async function loadChart() {
          const h = await getJSON('/api/histogram?' + filterParams());
          const W = 900, H = 160, pad = 30, n = h.buckets.length;
          if (!n) { $('#chart').innerHTML = '<p class="muted">No records.</p>'; return; }
          const colors = ['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7','#9c755f','#bab0ac'];
          const totals = h.buckets.map((_, i) => h.series.reduce((s, x) => s + x.counts[i], 0));
          const max = Math.max(1, ...totals), bw = (W - pad) / n;
          let svg = `<svg id="chart-svg" width="${W}" height="${H + 40}" role="img" aria-label="DLQ records by reason over time">`;
          h.buckets.forEach((b, i) => {
            let y = H;
            h.series.forEach((s, k) => {
              const c = s.counts[i]; if (!c) return;
              const bh = c / max * (H - 10); y -= bh;
              svg += `<rect x="${pad + i * bw + 1}" y="${y}" width="${Math.max(1, bw - 2)}" height="${bh}" fill="${colors[k % 10]}"><title>${esc(s.reason)}: ${c} (${iso(b)})</title></rect>`;
            });
          });
          svg += `<text x="0" y="12" font-size="11">${max}</text><text x="${pad}" y="${H + 14}" font-size="11">${iso(h.buckets[0]).slice(0, 13)}h</text>`;
          svg += `<text x="${W - 120}" y="${H + 14}" font-size="11">${iso(h.buckets[n - 1]).slice(0, 13)}h</text>`;
          h.series.forEach((s, k) => { svg += `<rect x="${pad + k * 150}" y="${H + 24}" width="10" height="10" fill="${colors[k % 10]}"/><text x="${pad + k * 150 + 14}" y="${H + 33}" font-size="11">${esc(s.reason)}</text>`; });
          $('#chart').innerHTML = svg + '</svg><div class="muted">' + (h.bucket_ms === 3600000 ? 'hourly' : 'daily') + ' buckets</div>';
        }
        async function showDetail(id) {
          const [p, o] = id.split(':');
          const r = await getJSON(`/api/records/${p}/${o}`);
          const hdr = (list) => list.length ? '<table>' + list.map(h => `<tr><td>${esc(h.name)}</td><td>${esc(h.value)}</td></tr>`).join('') + '</table>' : '<p class="muted">none</p>';
          let html = `<h2>Record ${esc(r.id)} <button id="close-detail" type="button">Close</button></h2>
            <p><b>Reason:</b> <span id="detail-reason">${esc(r.reason)}</span>${r.field ? ' (field ' + esc(r.field) + ')' : ''} · <b>Scope:</b> ${esc(r.scope)}</p>
            <p><b>Detail:</b> ${esc(r.detail)}</p>
            <p><b>Workspace:</b> ${esc(r.workspace_id)} · <b>Message id:</b> ${esc(r.message_id)} · <b>Origin:</b> ${esc(r.origin)}
            · <b>Stream time:</b> ${iso(r.stream_time_ms)}${r.dlq_at ? ' · <b>DLQ at:</b> ' + iso(r.dlq_at) : ''}</p>`;
          if (r.scope === 'trait') html += `<p><b>Trait:</b> ${esc(r.trait_key)} → ${esc(r.normalized_key)} (${esc(r.action)}). Trait findings belong to accepted events and are not replayed.</p>`;
          else html += `<p><b>Original key:</b> ${esc(r.original_key ?? '(null)')}</p><h3>Original headers</h3>${hdr(r.original_headers)}
            <h3>Original value ${r.original_json ? '(JSON)' : '(not JSON, hex)'} · ${r.original_size ?? 0} bytes</h3><pre id="original">${esc(r.original_json ?? r.original_hex ?? '(null)')}</pre>`;
          html += `<h3>DLQ record headers</h3>${hdr(r.headers)}`;
          html += `<h3>Replays</h3>` + (r.replays.length ? '<ul>' + r.replays.map(x => `<li>${iso(x.at_ms)} → ${esc(x.to_topic)}[${x.to_partition}]@${x.to_offset} (${esc(x.replay_id)})</li>`).join('') + '</ul>' : '<p class="muted">never replayed</p>');
          if (r.replayable) html += `<button id="replay-one" type="button">Replay this record…</button> `;
          if (r.replays.length) html += `<button id="check-outcome" type="button">Check outcome</button> <span id="outcome"></span>`;
          $('#detail').innerHTML = html; $('#detail').hidden = false; $('#detail').scrollIntoView();
          $('#close-detail').onclick = () => { $('#detail').hidden = true; };
          if (r.replayable) $('#replay-one').onclick = () => askReplay({records: [r.id]}, () => showDetail(id));
          if (r.replays.length) { $('#check-outcome').onclick = () => checkOutcome(id); checkOutcome(id); }
        }
        async function checkOutcome(id) {
          const [p, o] = id.split(':');
          $('#outcome').textContent = 'looking…';
          try {
            const x = await getJSON(`/api/records/${p}/${o}/outcome`);
            $('#outcome').innerHTML = x.status === 'found'
              ? `<span class="pill ${x.verdict === 'accepted' ? 'ok' : 'warn'}" id="outcome-verdict">${esc(x.verdict)}${x.reason ? ' / ' + esc(x.reason) : ''}</span> on ${esc(x.topic)}[${x.partition}]@${x.offset}`
              : (x.status === 'pending' ? 'no verdict yet (is governor run up?)' : esc(x.status));
          } catch (e) { $('#outcome').textContent = e.message; }
        }
        async function askReplay(selection, after) {
          const preview = await getJSON('/api/replay/preview', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(selection)});
          const where = Object.entries(preview.by_topic).map(([t, n]) => `${n} to ${t}`).join(', ') || 'nothing';
          $('#confirm-text').innerHTML = `<b id="confirm-count">${preview.total}</b> record(s) will be replayed: ${esc(where)}.` +
            (preview.refused_trait ? ` ${preview.refused_trait} trait-scope record(s) will not be replayed.` : '') +
            (preview.already_replayed ? ` ${preview.already_replayed} were replayed before.` : '');
          $('#token').value = sessionStorage.getItem('replayToken') || '';
          $('#reviewer').value = sessionStorage.getItem('reviewer') || '';
          $('#confirm-error').textContent = '';
          pending = {selection, after};
          $('#confirm-dialog').showModal();
        }
        $('#confirm-form').addEventListener('submit', async (e) => {
          if (e.submitter?.value !== 'ok' || !pending) { pending = null; return; }
          e.preventDefault();
          const token = $('#token').value, reviewer = $('#reviewer').value;
          try {
            const r = await getJSON('/api/replay', {method: 'POST', headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token},
              body: JSON.stringify({...pending.selection, reviewer})});
            sessionStorage.setItem('replayToken', token); sessionStorage.setItem('reviewer', reviewer);
            $('#confirm-dialog').close();
            $('#replay-result').innerHTML = `<span class="pill ok" id="replay-done">replayed ${r.replayed} record(s)</span> <span class="muted">${esc(r.replay_id)} · ${esc(r.note)}</span>`;
            const after = pending.after; pending = null; selected.clear(); toggle('', false);
            setTimeout(async () => { await refresh(); if (after) after(); }, 1500);
          } catch (err) { $('#confirm-error').textContent = err.message; }
        });
        async function loadAudit() {
          const a = await getJSON('/api/audit');
          $('#audit tbody').innerHTML = a.replays.map(x => `<tr><td>${iso(x.at_ms)}</td><td>${esc(x.reviewer)}</td><td>${esc(x.via)}</td>
            <td>${esc(x.selection)}</td><td>${x.count}${x.parts > 1 ? ' (part ' + x.part + '/' + x.parts + ')' : ''}</td><td>${esc(x.destinations)}</td>
            <td>${x.skipped_trait}</td><td>${esc(x.replay_id)}</td></tr>`).join('') || '<tr><td colspan="8" class="muted">No replays yet.</td></tr>';
        }
        async function refresh() { cursor = null; await Promise.all([loadFacets(), loadRecords(false), loadChart(), loadAudit()]); }
        $('#filters').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
        $('#reset').onclick = () => { $('#filters').reset(); refresh(); };
        $('#more').onclick = () => loadRecords(true);
        $('#select-page').onclick = (e) => document.querySelectorAll('#records tbody tr').forEach(tr => {
          const box = tr.querySelector('.pick'); if (box.disabled) return; box.checked = e.target.checked; toggle(tr.dataset.id, e.target.checked, tr); });
        $('#replay-selected').onclick = () => askReplay({records: [...selected]});
        $('#replay-filter').onclick = () => askReplay({filter: filterObject()});
        refresh().catch(e => { $('#status').textContent = e.message; });
        </script></body></html>
        """
}
