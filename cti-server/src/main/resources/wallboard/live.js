// The live view: the tenant's queues (topics queue:<id>), agents (agents) and calls (calls), kept up
// to date by the stream, with the supervisor's actions on agents: force Ready / Not ready (reason) /
// Logout, and Listen / Whisper / Barge on an agent's current call from the supervisor's phone.
import { Stream } from './stream.js';
import { $, ApiError, duration, h, randomId } from './util.js';

const STATES = ['READY', 'NOT_READY', 'RESERVED', 'ON_CALL', 'WRAP_UP', 'ON_OTHER', 'LOGGED_OUT'];
const MONITOR = [['listen', 'Listen'], ['whisper', 'Whisper'], ['barge', 'Barge']];
const WAITING = new Set(['WAITING', 'OFFERING']);
const AFTER_CALL = new Set(['RESERVED', 'ON_CALL', 'WRAP_UP', 'ON_OTHER']); // states where next_state is pending

export class LivePage {
  constructor(app) {
    this.app = app;
    this.stream = null;
    this.queues = new Map(); // queue id -> {queue_id, name, stats, waiting: [{call, position, estimated_wait_seconds}]}
    this.agents = new Map(); // agent id -> agent
    this.conversations = new Map(); // conversation id -> conversation (calls under call control)
    this.monitors = new Map(); // monitor id -> monitor session
    this.agentCalls = new Map(); // agent id -> queueCall offered to / connected with them
    this.reasons = [];
    this.chosen = new Map(); // agent id -> the reason picked in their row (kept across redraws)
    this.sync = null;
    this.ticker = null;
    this.pending = false;
  }

  start() {
    if (this.stream) {
      return;
    }
    this.stream = new Stream({
      token: this.app.token,
      topics: () => this.topics(),
      onSnapshot: (topic, data) => this.snapshot(topic, data),
      onEvent: (event, data) => this.event(event, data),
      onStatus: (status, detail) => this.status(status, detail),
      onAuthFailed: (code, reason) => this.app.signedOut(`${reason || 'token refused'} (${code}) — please sign in again`),
      onError: (e) => this.message(`${e.error_id || 'error'}: ${e.message}`, true),
    });
    this.stream.start();
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  stop() {
    if (this.stream) {
      this.stream.stop();
      this.stream = null;
    }
    clearInterval(this.ticker);
    this.queues.clear();
    this.agents.clear();
    this.conversations.clear();
    this.monitors.clear();
    this.agentCalls.clear();
    $('queues').replaceChildren();
    $('agents').tBodies[0].replaceChildren();
  }

  /** What a new session subscribes to: agents, calls and every queue of the tenant (asked afresh each time). */
  async topics() {
    const [queues, reasons] = await Promise.all([
      this.app.api('/api/v1/queues'),
      this.app.api('/api/v1/not-ready-reasons').catch(() => ({ reasons: [] })),
    ]);
    this.reasons = reasons.reasons || [];
    const ids = (queues.queues || []).map((q) => q.queue_id);
    for (const id of [...this.queues.keys()]) {
      if (!ids.includes(id)) {
        this.queues.delete(id); // gone from the configuration since
      }
    }
    return ['agents', 'calls', ...ids.map((id) => `queue:${id}`)];
  }

  // ---- the stream ---------------------------------------------------------------------------------

  status(status, detail) {
    this.conn = { status, detail: detail || {} };
    this.renderStatus();
  }

  /** The connection indicator: the stream's state and, while live, whether the server is in sync with Asterisk. */
  renderStatus() {
    const { status, detail } = this.conn || { status: 'connecting', detail: {} };
    const el = $('connection');
    const stale = status === 'live' && this.sync === 'stale';
    el.className = `conn conn-${status}${stale ? ' conn-stale' : ''}`;
    let text = status;
    if (stale) {
      text = 'live (Asterisk link stale)';
    } else if (status === 'reconnecting' && detail.delayMs) {
      text = `reconnecting in ${(detail.delayMs / 1000).toFixed(1)} s`;
    }
    el.textContent = text;
    el.dataset.status = status;
    if (detail.resumeResult !== undefined) {
      el.dataset.resume = detail.resumeResult || 'none';
    }
  }

  snapshot(topic, data) {
    if (topic === 'system') {
      this.sync = data.state;
      this.renderStatus();
    } else if (topic === 'agents') {
      this.agents = new Map((data.agents || []).map((a) => [a.agent_id, a]));
    } else if (topic === 'calls') {
      this.conversations = new Map((data.conversations || []).map((c) => [c.id, c]));
      this.monitors = new Map((data.monitors || []).filter((m) => m.state !== 'ENDED').map((m) => [m.id, m]));
    } else if (topic.startsWith('queue:')) {
      const q = { queue_id: data.queue_id, name: data.name, stats: data.stats, waiting: data.waiting || [] };
      this.queues.set(q.queue_id, q);
      // The callers of this queue offered to / connected with agents, as the snapshot has them.
      for (const [agent, call] of [...this.agentCalls]) {
        if (call.queue === q.queue_id) {
          this.agentCalls.delete(agent);
        }
      }
      for (const w of q.waiting) {
        if (w.call.agent && w.call.state === 'OFFERING') {
          this.agentCalls.set(w.call.agent, w.call);
        }
      }
    }
    this.render();
  }

  event(event, data) {
    switch (event) {
      case 'sync':
        this.sync = data.state;
        this.renderStatus();
        break;
      case 'agent.updated':
        this.agents.set(data.agent_id, data);
        break;
      case 'queue.stats': {
        const q = this.queues.get(data.queue_id);
        if (q) {
          q.stats = data;
        }
        break;
      }
      case 'queue.call.entered':
      case 'queue.call.offered':
      case 'queue.call.requeued':
      case 'queue.call.answered':
      case 'queue.call.ended':
        this.queueCall(data);
        break;
      case 'conversation.updated':
        this.conversations.set(data.id, data);
        break;
      case 'conversation.ended':
        this.conversations.delete(data.id);
        break;
      case 'monitor.updated':
        this.monitors.set(data.id, data);
        break;
      case 'monitor.ended':
        this.monitors.delete(data.id);
        break;
      default:
        return;
    }
    this.render();
  }

  queueCall(call) {
    const q = this.queues.get(call.queue);
    if (q) {
      const i = q.waiting.findIndex((w) => w.call.entry_id === call.entry_id);
      if (WAITING.has(call.state)) {
        if (i >= 0) {
          q.waiting[i] = { ...q.waiting[i], call };
        } else {
          q.waiting.push({ call, position: q.waiting.length + 1 });
        }
      } else if (i >= 0) {
        q.waiting.splice(i, 1);
      }
      q.waiting.forEach((w, n) => { w.position = n + 1; });
    }
    for (const [agent, c] of [...this.agentCalls]) {
      if (c.entry_id === call.entry_id) {
        this.agentCalls.delete(agent);
      }
    }
    if (call.agent && (call.state === 'OFFERING' || call.state === 'CONNECTED')) {
      this.agentCalls.set(call.agent, call);
    }
  }

  // ---- what the page shows ------------------------------------------------------------------------

  /** Coalesces the frames of one burst (a snapshot set after a resume) into one redraw. */
  render() {
    if (this.pending) {
      return;
    }
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.renderQueues();
      this.renderAgents();
      this.tick();
    });
  }

  renderQueues() {
    const cards = [...this.queues.values()].sort((a, b) => a.queue_id.localeCompare(b.queue_id)).map((q) => {
      const s = q.stats || {};
      const t = s.today || {};
      const sl = t.service_level_percent === undefined || t.service_level_percent === null
        ? '—' : `${Math.round(t.service_level_percent)}%`;
      const byState = STATES.filter((st) => (s.agents || {})[st] > 0)
        .map((st) => h('span', { class: `badge st-${st}` }, `${st.replace('_', ' ')} ${s.agents[st]}`));
      const waiting = q.waiting.map((w) => {
        const pop = w.call.screen_pop || {};
        const who = pop.caller_number || w.call.caller;
        return h('li', { class: 'caller', dataset: { entry: w.call.entry_id } },
          h('span', { class: 'pos' }, `${w.position}.`), ' ', h('span', { class: 'who' }, who),
          pop.caller_name ? ` ${pop.caller_name}` : '', ' ',
          h('span', { class: 'tick', dataset: { since: w.call.arrived_at } }, ''),
          w.call.state === 'OFFERING' ? h('span', { class: 'badge st-RESERVED' }, `ringing ${w.call.agent}`) : '');
      });
      return h('article', { class: 'card queue', dataset: { queue: q.queue_id } },
        h('h3', {}, q.name || q.queue_id),
        h('div', { class: 'figures' },
          figure('waiting', 'Waiting', String(q.waiting.length)),
          figure('longest', 'Longest wait',
            h('span', { class: 'tick', dataset: s.oldest_arrived_at ? { since: s.oldest_arrived_at } : {} },
              s.oldest_arrived_at ? '' : '0:00')),
          figure('sl', 'Service level today', sl),
          figure('answered', 'Answered today', String(t.answered ?? 0)),
          figure('abandoned', 'Abandoned today', String(t.abandoned ?? 0))),
        h('div', { class: 'states' }, byState.length ? byState : h('span', { class: 'hint' }, 'no agents staffed')),
        h('ol', { class: 'waiting-list' }, waiting));
    });
    $('queues').replaceChildren(...(cards.length ? cards : [h('p', { class: 'hint' }, 'No queues in this tenant.')]));
  }

  renderAgents() {
    const rows = [...this.agents.values()].sort((a, b) => a.agent_id.localeCompare(b.agent_id)).map((a) => {
      const acd = a.acd || {};
      const state = acd.state || '—';
      const call = this.currentCall(a.agent_id);
      const select = h('select', {
        class: 'reason', 'aria-label': `not-ready reason for ${a.agent_id}`,
        onchange: (e) => this.chosen.set(a.agent_id, e.target.value),
      }, this.reasons.map((r) => h('option', { value: r, selected: r === this.chosen.get(a.agent_id) }, r)));
      const force = (target, label) => h('button', {
        type: 'button', class: `act force-${target}`, onclick: () => this.force(a.agent_id, target, select.value),
      }, label);
      const mine = [...this.monitors.values()].find((m) => m.supervisor === this.app.user.username && m.agent === a.agent_id);
      const monitor = MONITOR.map(([mode, label]) => h('button', {
        type: 'button', class: `act monitor-${mode}`, disabled: !call.conversation,
        title: call.conversation ? `${label} from your phone` : 'no call to monitor',
        onclick: () => this.monitor(mode, call.conversation, a.agent_id),
      }, label));
      if (mine) {
        monitor.push(h('button', {
          type: 'button', class: 'act monitor-stop', onclick: () => this.monitor('stop', mine.call, a.agent_id),
        }, `Stop ${mine.mode.toLowerCase()}`));
      }
      let reason = acd.reason || '';
      if (acd.next_state && AFTER_CALL.has(state)) {
        reason += `${reason ? ' · ' : ''}next ${acd.next_state}${acd.next_reason ? ` (${acd.next_reason})` : ''}`;
      }
      if (acd.cause === 'FORCED_BY_SUPERVISOR' && acd.forced_by) {
        reason += `${reason ? ' · ' : ''}forced by ${acd.forced_by}`;
      }
      return h('tr', { dataset: { agent: a.agent_id, state } },
        h('td', {}, h('strong', {}, a.name || a.agent_id), h('div', { class: 'hint' }, a.agent_id)),
        h('td', {}, `${a.device} `, h('span', { class: `phone ph-${a.phone}` }, a.phone)),
        h('td', { class: 'state' }, h('span', { class: `badge st-${state}` }, state.replace('_', ' '))),
        h('td', { class: 'in-state' }, h('span', { class: 'tick', dataset: acd.since ? { since: acd.since } : {} }, '')),
        h('td', { class: 'reason-cell' }, reason),
        h('td', { class: 'call' }, call.text),
        h('td', { class: 'actions' },
          h('div', {}, force('READY', 'Ready'), ' ', select, ' ', force('NOT_READY', 'Not ready'), ' ',
            force('LOGGED_OUT', 'Logout')),
          h('div', {}, monitor)));
    });
    $('agents').tBodies[0].replaceChildren(...rows);
  }

  /**
   * The agent's current call: the queue call offered to / connected with them and the conversation
   * (call under call control) they are in. The conversation's id is what call.monitor.* names; for an
   * ACD call whose conversation the page has not seen, the ACD's own naming (acd-mix-<caller's channel>)
   * stands in.
   */
  currentCall(agentId) {
    const qc = this.agentCalls.get(agentId);
    const conv = [...this.conversations.values()].find((c) => c.state !== 'ENDED'
      && (c.parties || []).some((p) => p.agent === agentId && p.state !== 'GONE'));
    let conversation = conv ? conv.id : null;
    if (!conversation && qc && qc.state === 'CONNECTED' && qc.caller) {
      conversation = `acd-mix-${qc.caller}`;
    }
    const parts = [];
    if (qc) {
      const who = (qc.screen_pop && qc.screen_pop.caller_number) || qc.caller;
      parts.push(`${qc.queue}: ${who} (${qc.state === 'OFFERING' ? 'ringing' : 'talking'})`);
    } else if (conv) {
      const others = (conv.parties || []).filter((p) => p.agent !== agentId && p.state !== 'GONE')
        .map((p) => p.number || p.agent || p.role);
      parts.push(`${conv.origin === 'DIAL' ? 'call' : conv.queue || 'call'}: ${others.join(', ') || '…'}`);
    }
    return { text: parts.join(' '), conversation };
  }

  /** The tickers: every element with data-since shows the time since then on the server's clock. */
  tick() {
    const now = this.stream ? this.stream.now() : Date.now();
    for (const el of document.querySelectorAll('#page-live .tick[data-since]')) {
      el.textContent = duration((now - Date.parse(el.dataset.since)) / 1000);
    }
  }

  message(text, isError) {
    const el = $('live-message');
    el.textContent = text;
    el.className = isError ? 'message error' : 'message ok';
    el.hidden = false;
  }

  // ---- actions ------------------------------------------------------------------------------------

  async force(agentId, state, reason) {
    const body = { state };
    if (state === 'NOT_READY') {
      body.reason = reason;
    }
    try {
      const a = await this.app.api(`/api/v1/agents/${encodeURIComponent(agentId)}/force`, { method: 'POST', body });
      this.agents.set(a.agent_id, a);
      this.render();
      this.message(`${agentId}: ${a.acd ? a.acd.state : state}${body.reason ? ` (${body.reason})` : ''}`, false);
    } catch (e) {
      if (e instanceof ApiError && e.errorId === 'agent.unknown_reason' && Array.isArray(e.details.allowed)) {
        this.reasons = e.details.allowed; // the tenant's reasons changed since the page asked
        this.render();
      }
      this.message(`${agentId}: ${e instanceof ApiError ? e.text() : e.message}`, true);
    }
  }

  async monitor(mode, call, agentId) {
    const body = { command_id: randomId('wb-'), call, agent: agentId };
    try {
      const m = await this.app.api(`/api/v1/call-control/call.monitor.${mode}`, { method: 'POST', body });
      if (m && m.id) {
        if (m.state === 'ENDED') {
          this.monitors.delete(m.id);
        } else {
          this.monitors.set(m.id, m);
        }
      }
      this.render();
      this.message(mode === 'stop' ? `stopped monitoring ${agentId}`
        : `${mode} on ${agentId}'s call: your phone ${m && m.endpoint ? m.endpoint : ''} rings`, false);
    } catch (e) {
      this.message(`${mode} ${agentId}: ${e instanceof ApiError ? e.text() : e.message}`, true);
    }
  }
}

function figure(cls, label, value) {
  return h('div', { class: `figure fig-${cls}` }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}
