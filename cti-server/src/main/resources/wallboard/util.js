// Small helpers shared by the wallboard's pages.

/** A refusal from the server: its error_id, status, message and details (docs/openapi.yaml errorBody). */
export class ApiError extends Error {
  constructor(body, status) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.errorId = (body && body.error_id) || 'http.' + status;
    this.status = status;
    this.details = (body && body.details) || {};
  }

  /** How the page shows it: "error_id: message". */
  text() {
    return `${this.errorId}: ${this.message}`;
  }
}

export function $(id) {
  return document.getElementById(id);
}

/** A DOM element; text only through textContent, so nothing from the server is ever parsed as HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.substring(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return el;
}

/** A random id for command_id (crypto.randomUUID needs a secure context; plain http on a LAN is not one). */
export function randomId(prefix) {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return prefix + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
