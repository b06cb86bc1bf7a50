// The CTI's WebSocket stream (docs/asyncapi.yaml): welcome, then snapshot and event frames numbered by
// seq. On any close it reconnects by itself with a growing delay and asks to resume its session from
// the last seq it processed; the server either replays what was missed, sends fresh snapshots, or (a
// new server process, or the session expired) refuses: then the page subscribes again and takes the
// snapshots that follow. Tokens the server rejects (4401/4402/4403) end it: the user must sign in again.

const AUTH_CLOSES = new Set([4401, 4402, 4403]);
const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10000;

export class Stream {
  /**
   * @param {object} o
   * @param {string} o.token bearer token
   * @param {() => Promise<string[]>} o.topics what to subscribe to on a new session
   * @param {(topic: string, data: object) => void} o.onSnapshot
   * @param {(event: string, data: object, topics: string[]) => void} o.onEvent
   * @param {(status: string, detail?: object) => void} o.onStatus connecting | live | reconnecting | closed
   * @param {(code: number, reason: string) => void} o.onAuthFailed
   * @param {(error: object) => void} o.onError an error frame (e.g. a subscription refused)
   */
  constructor(o) {
    this.o = o;
    this.sessionId = null;
    this.lastSeq = 0;
    this.attempt = 0;
    this.ws = null;
    this.timer = null;
    this.pingTimer = null;
    this.pongDue = 0;
    this.stopped = false;
    this.clockOffsetMs = 0; // server time - local time, from welcome.server_time
    this.requests = 0;
    this.subscribing = null; // the last subscribe sent: {id, topics}
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pingTimer);
    if (this.ws) {
      this.ws.close(1000, 'bye');
      this.ws = null;
    }
    this.o.onStatus('closed');
  }

  /** The server's clock now, in ms (for the tickers: waits and times in state). */
  now() {
    return Date.now() + this.clockOffsetMs;
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let u = `${scheme}//${location.host}/ws?access_token=${encodeURIComponent(this.o.token)}`;
    if (this.sessionId) {
      u += `&resume=${encodeURIComponent(this.sessionId)}&last_seq=${this.lastSeq}`;
    }
    return u;
  }

  connect() {
    if (this.stopped) {
      return;
    }
    this.o.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onmessage = (m) => this.frame(ws, m.data);
    ws.onclose = (e) => this.closed(ws, e);
    ws.onerror = () => { /* onclose follows */ };
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  subscribe(topics) {
    if (topics.length > 0) {
      const id = `sub-${++this.requests}`;
      this.subscribing = { id, topics };
      this.send({ type: 'subscribe', id, topics });
    }
  }

  frame(ws, text) {
    if (ws !== this.ws) {
      return;
    }
    let m;
    try {
      m = JSON.parse(text);
    } catch (e) {
      return;
    }
    switch (m.type) {
      case 'welcome':
        this.welcome(m);
        break;
      case 'snapshot':
      case 'event':
        if (typeof m.seq === 'number') {
          if (m.seq <= this.lastSeq) {
            return; // already processed (a replay overlapping what we had)
          }
          this.lastSeq = m.seq;
        }
        if (m.type === 'snapshot') {
          this.o.onSnapshot(m.topic, m.data || {});
        } else {
          this.o.onEvent(m.event, m.data || {}, m.topics || []);
        }
        break;
      case 'pong':
        this.pongDue = 0;
        break;
      case 'error': {
        const e = m.error || {};
        this.o.onError(e);
        const sub = this.subscribing;
        const refused = e.details && e.details.topic;
        if (sub && m.id === sub.id && refused) {
          // One refused topic refuses the whole request (e.g. a queue removed since the list was read):
          // ask again for the others.
          this.subscribe(sub.topics.filter((t) => t !== refused));
        }
        break;
      }
      default:
        break;
    }
  }

  welcome(m) {
    if (m.server_time) {
      this.clockOffsetMs = Date.parse(m.server_time) - Date.now();
    }
    const resumed = m.resumed === true;
    this.sessionId = m.session_id;
    this.lastSeq = m.last_seq || 0;
    this.attempt = 0;
    this.startPings(m.heartbeat_interval_ms || 30000);
    this.o.onStatus('live', { resumeResult: m.resume_result || null, sessionId: m.session_id });
    if (!resumed) {
      // A new session (first connect, or the server did not know ours any more): only `system` is
      // subscribed. Ask again for everything; the snapshots replace what the page showed.
      const ws = this.ws;
      this.o.topics().then((topics) => this.subscribe(topics), (e) => {
        // Without the topic list this session would show nothing: start over with a new one.
        this.o.onError({ error_id: e.errorId || 'wallboard.topics', message: e.message || String(e) });
        if (ws === this.ws) {
          this.sessionId = null;
          ws.close(4000, 'could not subscribe');
        }
      });
    }
    // resumed: either the missed frames follow (replay) or snapshots of every topic (snapshot).
  }

  startPings(intervalMs) {
    clearInterval(this.pingTimer);
    this.pongDue = 0;
    // Our own ping finds a link that died without a close (the server's pings are answered by the
    // browser itself and tell us nothing).
    this.pingTimer = setInterval(() => {
      if (this.pongDue && Date.now() > this.pongDue) {
        if (this.ws) {
          this.ws.close(4000, 'no pong');
        }
        return;
      }
      if (this.send({ type: 'ping', id: `ping-${++this.requests}` })) {
        this.pongDue = Date.now() + intervalMs;
      }
    }, intervalMs);
  }

  closed(ws, e) {
    if (ws !== this.ws) {
      return;
    }
    this.ws = null;
    clearInterval(this.pingTimer);
    if (this.stopped) {
      return;
    }
    if (AUTH_CLOSES.has(e.code)) {
      this.stopped = true;
      this.o.onStatus('closed');
      this.o.onAuthFailed(e.code, e.reason);
      return;
    }
    const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempt++;
    this.o.onStatus('reconnecting', { attempt: this.attempt, delayMs: delay, code: e.code });
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
