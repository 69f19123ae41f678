// kap remote: the phone UI. Everything shown is built with textContent: event fields come from the capsule.
'use strict';

const store = {
  get: (k, d) => { const v = localStorage.getItem('kap_' + k); return v === null ? d : v; },
  set: (k, v) => localStorage.setItem('kap_' + k, v),
  del: (k) => localStorage.removeItem('kap_' + k),
};
const $ = (id) => document.getElementById(id);
const state = { events: [], requests: new Map(), lastSeq: 0, filter: store.get('filter', 'all'), capsules: [],
  agent: { capsule: null, session: null, abort: null, poll: null } };
const MAX_EVENTS = 300;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

// ---- settings: theme and text size ----
function applyTheme() {
  const choice = store.get('theme', 'auto');
  const dark = choice === 'dark' || (choice === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.querySelectorAll('[data-theme-choice]').forEach((b) =>
    b.setAttribute('aria-pressed', String(b.dataset.themeChoice === choice)));
}
function applyFont() {
  const size = Number(store.get('fontsize', '16'));
  document.documentElement.style.setProperty('--fs', size + 'px');
  $('font-size').textContent = size;
}
function setupSettings() {
  $('settings-button').addEventListener('click', () => {
    const open = $('settings').hidden;
    $('settings').hidden = !open;
    $('settings-button').setAttribute('aria-expanded', String(open));
  });
  document.querySelectorAll('[data-theme-choice]').forEach((b) => b.addEventListener('click', () => {
    store.set('theme', b.dataset.themeChoice); applyTheme();
  }));
  const step = (d) => { store.set('fontsize', String(Math.min(24, Math.max(12, Number(store.get('fontsize', '16')) + d)))); applyFont(); };
  $('font-smaller').addEventListener('click', () => step(-1));
  $('font-larger').addEventListener('click', () => step(1));
  $('forget').addEventListener('click', () => { if (confirm('Forget this device? You will need to pair again.')) unpaired(''); });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);
  applyTheme(); applyFont();
}

// ---- API ----
async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + store.get('token', '') }, options.headers || {});
  if (options.body) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
  if (res.status === 401) { unpaired('This device is no longer paired.'); throw new Error('unauthorized'); }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
  return body;
}

function deviceName() {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return 'iPhone';
  if (/iPad/.test(ua)) return 'iPad';
  const m = ua.match(/Android[^;]*;\s*([^;)]+)/);
  if (m) return m[1].trim().slice(0, 40);
  return 'phone';
}

async function pairFromHash() {
  const m = location.hash.match(/^#pair=([A-Za-z0-9_-]{10,64})$/);
  if (!m) return;
  history.replaceState(null, '', location.pathname);
  const res = await fetch('/api/pair', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: m[1], name: deviceName() }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { unpaired(body.error || 'Pairing failed.'); return; }
  store.set('token', body.token);
  store.set('device', body.device.name + ' · ' + body.device.id);
}

function unpaired(message) {
  store.del('token');
  document.querySelectorAll('[data-panel]').forEach((p) => { p.hidden = true; });
  document.querySelector('.tabs').hidden = true;
  $('unpaired').hidden = false;
  $('pair-error').textContent = message || '';
  if (state.stream) state.stream.abort();
}

// ---- tabs ----
function showTab(name) {
  store.set('tab', name);
  document.querySelectorAll('[data-tab]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
  document.querySelectorAll('[data-panel]').forEach((p) => { p.hidden = p.dataset.panel !== name; });
  if (name === 'status') loadCapsules();
  if (name === 'agent') loadSessions();
}

// ---- live stream (fetch, so the token goes in a header, never in a URL) ----
async function stream() {
  const controller = new AbortController();
  state.stream = controller;
  try {
    const headers = { Authorization: 'Bearer ' + store.get('token', '') };
    if (state.lastSeq) headers['Last-Event-ID'] = String(state.lastSeq);
    const res = await fetch('/api/stream', { headers, signal: controller.signal, cache: 'no-store' });
    if (res.status === 401) { unpaired('This device is no longer paired.'); return; }
    if (!res.ok) throw new Error('HTTP ' + res.status);
    $('live').textContent = 'live'; $('live').classList.add('on');
    await readSse(res.body, (type, data, id) => {
      if (id) state.lastSeq = Math.max(state.lastSeq, Number(id));
      if (type === 'audit') addEvent(JSON.parse(data), Number(id));
      if (type === 'request') upsertRequest(JSON.parse(data));
    });
  } catch (e) { /* reconnect below */ }
  $('live').textContent = 'offline'; $('live').classList.remove('on');
  if (store.get('token', '')) setTimeout(stream, 3000);
}

async function readSse(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end); buffer = buffer.slice(end + 2);
      let type = 'message', data = '', id = null;
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
        else if (line.startsWith('id: ')) id = line.slice(4);
      }
      if (data) onEvent(type, data, id);
    }
  }
}

// ---- logs ----
function addEvent(e, seq) {
  if (state.events.some((x) => x.seq === seq)) return;
  e.seq = seq;
  state.events.unshift(e);
  if (state.events.length > MAX_EVENTS) state.events.pop();
  renderLog();
}
function time(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
function renderLog() {
  document.querySelectorAll('[data-filter]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.filter === state.filter)));
  const list = $('log');
  list.replaceChildren();
  const shown = state.events.filter((e) => state.filter === 'all' || e.verdict === 'deny');
  if (!shown.length) { list.append(el('li', 'empty', state.filter === 'denied' ? 'No denials yet' : 'No events yet')); return; }
  for (const e of shown) {
    const li = el('li', 'event');
    li.dataset.verdict = e.verdict;
    li.append(el('span', 'time mono', time(e.time)), el('span', 'verdict ' + e.verdict, e.verdict.toUpperCase()),
      el('span', 'subject mono', e.source + ' ' + e.subject), el('span', 'reason', e.reason + (e.rule ? ' · ' + e.rule : '') + ' · ' + e.project));
    list.append(li);
  }
}

// ---- approvals ----
function upsertRequest(r) {
  state.requests.set(r.id, r);
  renderRequests();
}
function renderRequests() {
  const open = [...state.requests.values()].filter((r) => r.state === 'pending').sort((a, b) => b.last.localeCompare(a.last));
  const done = [...state.requests.values()].filter((r) => r.state !== 'pending' && r.state !== 'deciding');
  $('pending-count').hidden = open.length === 0;
  $('pending-count').textContent = open.length;
  const cards = $('requests');
  cards.replaceChildren();
  if (!open.length) cards.append(el('p', 'empty', 'Nothing waits for you.'));
  for (const r of open) cards.append(requestCard(r));
  const decided = $('decided');
  decided.replaceChildren();
  for (const r of done.slice(-20).reverse()) decided.append(el('li', '', r.subject + ' — ' + (r.outcome || r.state) + ' by ' + (r.decided_by || '?')));
}
function requestCard(r) {
  const card = el('article', 'card request');
  card.dataset.requestId = r.id;
  card.dataset.subject = r.subject;
  const what = { network: 'Domain', mcp: 'MCP tool', cli: 'Command', pin: 'Changed MCP tool' }[r.kind] || r.kind;
  card.append(el('div', 'meta', what + ' · ' + r.project + ' · ' + r.source + (r.count > 1 ? ' · ' + r.count + '×' : '')),
    el('div', 'subject mono', r.subject),
    el('div', 'why', r.kind === 'pin' ? 'Its description or input schema changed since it was approved.' : 'Denied: ' + r.reason),
    el('div', 'pattern', 'Approving allows: ' + r.grant_pattern));
  const actions = el('div', 'actions');
  const button = (label, action, extra, cls) => {
    const b = el('button', cls || '', label);
    b.dataset.action = action;
    if (extra) b.dataset.minutes = extra;
    b.addEventListener('click', () => decide(r, action, extra, b));
    actions.append(b);
  };
  if (r.blocked) {
    card.append(el('p', 'blocked', 'Cannot be approved here: ' + r.blocked));
  } else if (r.kind === 'pin') {
    button('Approve change', 'pin', null, 'primary');
  } else {
    button('Once', 'once');
    button('5 min', 'minutes', 5, 'primary');
    button('1 hour', 'minutes', 60);
    button('Always', 'permanent');
  }
  button('Deny', 'dismiss', null, 'danger');
  card.append(actions);
  return card;
}
async function decide(r, action, minutes, b) {
  if (action === 'permanent' && !confirm('Add "' + r.pattern + '" to kap.toml for ' + r.project + '?')) return;
  b.closest('.actions').querySelectorAll('button').forEach((x) => { x.disabled = true; });
  try {
    upsertRequest(await api('/api/requests/' + r.id, { method: 'POST', body: JSON.stringify({ action, minutes: minutes ? Number(minutes) : 0 }) }));
  } catch (e) {
    alert(e.message);
    b.closest('.actions').querySelectorAll('button').forEach((x) => { x.disabled = false; });
  }
}

// ---- status ----
async function loadCapsules() {
  let body;
  try { body = await api('/api/capsules'); } catch (e) { return; }
  state.capsules = body.capsules;
  const cards = $('capsules');
  cards.replaceChildren();
  if (!body.capsules.length) cards.append(el('p', 'empty', 'No capsules on this host.'));
  for (const c of body.capsules) {
    const card = el('article', 'card capsule');
    card.dataset.capsule = c.id;
    const h = el('h3');
    h.append(el('span', 'dot' + (c.state === 'running' && c.sidecar.reachable ? ' ok' : '')), document.createTextNode(c.project));
    const kv = el('dl', 'kv');
    const add = (k, v) => kv.append(el('dt', '', k), el('dd', '', v));
    add('State', c.state + ' · ' + c.runtime);
    add('Sidecar', c.sidecar.reachable ? (c.sidecar.status || 'ok') : 'not reachable');
    add('Live events', c.events_connected ? 'connected' : 'not connected');
    add('Denied', c.denied);
    add('Directory', c.project_dir);
    card.append(h, kv);
    cards.append(card);
  }
  renderAgentCapsules();
}

// ---- agent ----
function renderAgentCapsules() {
  const select = $('agent-capsule');
  const current = state.agent.capsule;
  select.replaceChildren(...state.capsules.map((c) => { const o = el('option', '', c.project); o.value = c.id; return o; }));
  $('agent-capsule-label').hidden = state.capsules.length < 2;
  if (current) select.value = current;
}
function ago(iso) {
  const s = (Date.now() - new Date(iso)) / 1000;
  if (!iso || isNaN(s)) return '';
  if (s < 60) return 'just now';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}
async function loadSessions() {
  if (!state.capsules.length) await loadCapsules();
  const list = $('sessions');
  state.agent.capsule = $('agent-capsule').value || (state.capsules[0] && state.capsules[0].id);
  list.replaceChildren();
  if (!state.agent.capsule) { list.append(el('li', 'empty', 'No capsules.')); return; }
  let body;
  try { body = await api('/api/capsules/' + encodeURIComponent(state.agent.capsule) + '/agent/sessions'); }
  catch (e) { list.append(el('li', 'empty', e.message)); return; }
  if (!body.sessions.length) list.append(el('li', 'empty', 'No agent sessions yet.'));
  for (const s of body.sessions) {
    const li = el('li');
    li.dataset.session = s.id;
    li.append(el('div', 'task', s.task || s.id), el('div', 'meta muted', s.project + ' · ' + s.event_count + ' events · ' + ago(s.last_event)));
    li.addEventListener('click', () => openSession(s.id));
    list.append(li);
  }
}
function timelineItem(e) {
  const li = el('li');
  if (e.uuid) li.dataset.uuid = e.uuid;
  li.append(el('span', 'role', e.role || e.type));
  if (e.tool_name) li.append(el('span', 'tool mono', e.tool_name));
  li.append(el('span', 'when', time(e.timestamp)), el('span', 'summary', e.summary || ''));
  return li;
}
async function openSession(id) {
  closeSession();
  state.agent.session = id;
  $('agent-list').hidden = true; $('agent-detail').hidden = false;
  const base = '/api/capsules/' + encodeURIComponent(state.agent.capsule) + '/agent/sessions/' + encodeURIComponent(id);
  const list = $('timeline');
  list.replaceChildren();
  try {
    const body = await api(base);
    body.events.forEach((e) => list.append(timelineItem(e)));
    if (body.malformed) $('agent-message').textContent = body.malformed + ' unreadable lines skipped';
    window.scrollTo(0, document.body.scrollHeight);
    followSession(base, body.next);
  } catch (e) { $('agent-message').textContent = e.message; }
  const status = async () => {
    try { const s = await api(base + '/status'); $('agent-running').textContent = s.running ? 'running' : 'idle';
      $('agent-running').classList.toggle('running', s.running); } catch (e) { /* shown elsewhere */ }
  };
  status();
  state.agent.poll = setInterval(status, 3000);
}
async function followSession(base, from) {
  const controller = new AbortController();
  state.agent.abort = controller;
  try {
    const res = await fetch(base + '/stream?from=' + from, { headers: { Authorization: 'Bearer ' + store.get('token', '') }, signal: controller.signal });
    if (!res.ok) return;
    await readSse(res.body, (type, data) => {
      const e = JSON.parse(data);
      if (e.uuid && document.querySelector('[data-uuid="' + CSS.escape(e.uuid) + '"]')) return;
      $('timeline').append(timelineItem(e));
      window.scrollTo(0, document.body.scrollHeight);
    });
  } catch (e) { /* closed */ }
}
function closeSession() {
  if (state.agent.abort) state.agent.abort.abort();
  if (state.agent.poll) clearInterval(state.agent.poll);
  state.agent.abort = null; state.agent.poll = null;
  $('agent-message').textContent = '';
}
function setupAgent() {
  $('agent-back').addEventListener('click', () => { closeSession(); $('agent-detail').hidden = true; $('agent-list').hidden = false; loadSessions(); });
  $('agent-capsule').addEventListener('change', loadSessions);
  const base = () => '/api/capsules/' + encodeURIComponent(state.agent.capsule) + '/agent/sessions/' + encodeURIComponent(state.agent.session);
  $('agent-stop').addEventListener('click', async () => {
    if (!confirm('Stop the agent (Ctrl-C)?')) return;
    try { $('agent-message').textContent = (await api(base() + '/cancel', { method: 'POST', body: '{}' })).message; }
    catch (e) { $('agent-message').textContent = e.message; }
  });
  $('steer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('steer-text').value.trim();
    if (!text) return;
    $('steer-send').disabled = true; $('steer-send').textContent = '…';
    try { await api(base() + '/message', { method: 'POST', body: JSON.stringify({ message: text }) });
      $('steer-text').value = ''; $('agent-message').textContent = 'Sent.'; }
    catch (e) { $('agent-message').textContent = e.message; }
    $('steer-send').disabled = false; $('steer-send').textContent = 'Send';
  });
}

// ---- start ----
async function start() {
  setupSettings();
  setupAgent();
  document.querySelectorAll('[data-tab]').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  document.querySelectorAll('[data-filter]').forEach((b) => b.addEventListener('click', () => {
    state.filter = b.dataset.filter; store.set('filter', state.filter); renderLog();
  }));
  await pairFromHash();
  if (!store.get('token', '')) { if ($('unpaired').hidden) unpaired(''); return; }
  $('device-name').textContent = store.get('device', '');
  try {
    const [events, requests] = await Promise.all([api('/api/events?limit=' + MAX_EVENTS), api('/api/requests')]);
    for (const e of events.events) { addEvent(e, e.seq); state.lastSeq = Math.max(state.lastSeq, e.seq); }
    requests.requests.forEach(upsertRequest);
  } catch (e) { return; }
  renderLog(); renderRequests();
  showTab(store.get('tab', 'status'));
  setInterval(() => { if (store.get('tab') === 'status') loadCapsules(); }, 10000);
  stream();
}
document.addEventListener('DOMContentLoaded', start);
