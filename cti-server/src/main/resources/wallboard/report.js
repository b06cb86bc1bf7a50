// The report page: GET /api/v1/reports/queues?from&to&interval[&queue] as a table and a
// service-level-per-interval chart (SVG drawn here), and the same report as CSV (format=csv). The CSV
// needs the bearer token, which a plain link cannot send: it is fetched here and saved through a Blob
// URL on a temporary <a download>.
import { $, ApiError, h } from './util.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLUMNS = [
  ['interval_start', 'Interval'], ['queue', 'Queue'], ['offered', 'Offered'], ['answered', 'Answered'],
  ['answered_within_sl', 'Within SL'], ['service_level', 'Service level'], ['abandoned', 'Abandoned'],
  ['short_abandoned', 'Short abandoned'], ['abandon_rate', 'Abandon rate'], ['asa_seconds', 'ASA s'],
  ['aht_seconds', 'AHT s'], ['longest_wait_seconds', 'Longest wait s'], ['transfers', 'Transfers'],
  ['callbacks', 'Callbacks'], ['overflowed', 'Overflowed'], ['survey_offered', 'Surveys'],
  ['survey_answered', 'Survey answers'], ['response_rate', 'Response rate'], ['csat', 'CSAT'],
];
const RATIOS = new Set(['service_level', 'abandon_rate', 'response_rate', 'csat']);

export class ReportPage {
  constructor(app) {
    this.app = app;
    this.loadedQueues = false;
  }

  init() {
    const today = localDate(new Date());
    $('report-from').value = today;
    $('report-to').value = today;
    $('report-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.load();
    });
    $('report-csv').addEventListener('click', () => this.download());
  }

  /** Signed out: nothing of that user's tenant stays in the page. */
  reset() {
    this.loadedQueues = false;
    $('report-queue').replaceChildren(h('option', { value: '' }, 'all queues'));
    $('report-meta').textContent = '';
    $('report-chart').replaceChildren();
    $('report-table').tHead.replaceChildren();
    $('report-table').tBodies[0].replaceChildren();
    $('report-error').hidden = true;
  }

  async show() {
    if (this.loadedQueues) {
      return;
    }
    try {
      const r = await this.app.api('/api/v1/queues');
      const select = $('report-queue');
      select.replaceChildren(h('option', { value: '' }, 'all queues'),
        ...(r.queues || []).map((q) => h('option', { value: q.queue_id }, q.name || q.queue_id)));
      this.loadedQueues = true;
    } catch (e) {
      this.error(e);
    }
  }

  query(csv) {
    // The form's dates are both inclusive; the API's `to` is exclusive: the day after.
    const p = new URLSearchParams({
      from: $('report-from').value, to: nextDay($('report-to').value), interval: $('report-interval').value,
    });
    if ($('report-queue').value) {
      p.set('queue', $('report-queue').value);
    }
    if (csv) {
      p.set('format', 'csv');
    }
    return `/api/v1/reports/queues?${p}`;
  }

  error(e) {
    const el = $('report-error');
    el.textContent = e instanceof ApiError ? e.text() : e.message;
    el.hidden = false;
  }

  async load() {
    $('report-error').hidden = true;
    try {
      const r = await this.app.api(this.query(false));
      this.render(r);
    } catch (e) {
      this.error(e);
    }
  }

  async download() {
    $('report-error').hidden = true;
    try {
      const r = await this.app.api(this.query(true), { raw: true, headers: { Accept: 'text/csv' } });
      const blob = await r.blob();
      const disposition = r.headers.get('Content-Disposition') || '';
      const named = /filename="?([^";]+)"?/i.exec(disposition);
      const name = named ? named[1]
        : `queues-${$('report-from').value}-${$('report-to').value}-${$('report-interval').value}.csv`;
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      this.error(e);
    }
  }

  render(r) {
    const zone = r.time_zone || 'UTC';
    $('report-meta').textContent = `${r.tenant} · ${r.from} to ${r.to} · per ${r.interval} · times in ${zone}`;
    const fmt = intervalFormat(zone, r.interval);
    const thead = $('report-table').tHead;
    thead.replaceChildren(h('tr', {}, COLUMNS.map(([, label]) => h('th', {}, label))));
    const rows = (r.rows || []).map((row) => h('tr', { class: row.interval_start ? 'interval' : 'total' },
      COLUMNS.map(([key]) => h('td', { class: `c-${key}` }, cell(key, row[key], fmt)))));
    $('report-table').tBodies[0].replaceChildren(...rows);
    $('report-chart').replaceChildren(chart(r.rows || [], fmt, axisFormat(zone, r.interval), r));
  }
}

function cell(key, v, fmt) {
  if (key === 'interval_start') {
    return v ? fmt.format(new Date(v)) : 'Total';
  }
  if (v === null || v === undefined) {
    return '—';
  }
  if (RATIOS.has(key)) {
    return `${(v * 100).toFixed(1)} %`;
  }
  return typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : String(v);
}

function intervalFormat(zone, interval) {
  const o = { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' };
  if (interval !== 'day') {
    Object.assign(o, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }
  return new Intl.DateTimeFormat(undefined, o);
}

/** The chart's x axis: the time of day, or the date for daily intervals. */
function axisFormat(zone, interval) {
  return new Intl.DateTimeFormat(undefined, interval === 'day'
    ? { timeZone: zone, month: '2-digit', day: '2-digit' }
    : { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/**
 * One bar per interval: the service level of that interval. With several queues in the report, an
 * interval's level is theirs together: answered within the threshold / (answered + abandoned), summed
 * over the queues (one queue: exactly its own service_level). An interval without such calls has no
 * level: an empty bar marked "—".
 */
function chart(rows, fmt, axis, range) {
  const byStart = new Map();
  for (const row of rows) {
    if (!row.interval_start) {
      continue; // the per-queue totals
    }
    const k = row.interval_start;
    const e = byStart.get(k) || { start: k, within: 0, base: 0, single: null, n: 0 };
    e.within += row.answered_within_sl || 0;
    e.base += (row.answered || 0) + (row.abandoned || 0);
    e.single = row.service_level;
    e.n++;
    byStart.set(k, e);
  }
  // The server sends rows only for intervals with activity: the quiet ones of the range get empty bars, so
  // the chart has one bar per interval (15 min and hours are fixed lengths of absolute time from the range's
  // start, local midnight, whatever the zone; days vary with DST and are shown as the rows give them).
  const stepMs = range && range.interval === '15m' ? 15 * 60000 : range && range.interval === 'hour' ? 3600000 : 0;
  if (stepMs && range.from && range.to) {
    const end = Date.parse(range.to);
    const have = new Set([...byStart.keys()].map((x) => Date.parse(x)));
    for (let t = Date.parse(range.from); t < end && byStart.size < 10000; t += stepMs) {
      const k = new Date(t).toISOString();
      if (!have.has(t)) {
        byStart.set(k, { start: k, within: 0, base: 0, single: null, n: 1 });
      }
    }
  }
  const bars = [...byStart.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const W = 900;
  const H = 260;
  const left = 44;
  const bottom = 40;
  const top = 12;
  const plotH = H - bottom - top;
  const step = bars.length ? (W - left - 8) / bars.length : 0;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'sl-chart', role: 'img', 'aria-label': 'service level per interval' });
  for (const pct of [0, 25, 50, 75, 100]) {
    const y = top + plotH * (1 - pct / 100);
    svg.append(svgEl('line', { x1: left, x2: W - 4, y1: y, y2: y, class: 'grid' }));
    svg.append(svgEl('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, `${pct}%`));
  }
  const labelEvery = Math.max(1, Math.ceil(bars.length / 16));
  bars.forEach((b, i) => {
    const level = b.n === 1 ? b.single : b.base > 0 ? b.within / b.base : null;
    const x = left + i * step + step * 0.15;
    const w = Math.max(1, step * 0.7);
    const hgt = level === null || level === undefined ? 0 : plotH * Math.min(1, Math.max(0, level));
    const g = svgEl('g', { class: level === null || level === undefined ? 'bar empty' : 'bar', 'data-start': b.start });
    const label = fmt.format(new Date(b.start));
    const rect = svgEl('rect', { x, y: top + plotH - hgt, width: w, height: hgt });
    rect.append(svgEl('title', {}, `${label}: ${level === null || level === undefined ? 'no calls' : `${(level * 100).toFixed(1)} %`}`));
    g.append(rect);
    if (level === null || level === undefined) {
      g.append(svgEl('text', { x: x + w / 2, y: top + plotH - 4, class: 'none', 'text-anchor': 'middle' }, '—'));
    } else if (step >= 28) {
      g.append(svgEl('text', { x: x + w / 2, y: top + plotH - hgt + (hgt > 18 ? 14 : -4),
        class: hgt > 18 ? 'value inside' : 'value', 'text-anchor': 'middle' }, `${Math.round(level * 100)}%`));
    }
    if (i % labelEvery === 0) {
      g.append(svgEl('text', { x: x + w / 2, y: H - bottom + 16, class: 'axis', 'text-anchor': 'middle' },
        axis.format(new Date(b.start))));
    }
    svg.append(g);
  });
  if (!bars.length) {
    svg.append(svgEl('text', { x: W / 2, y: H / 2, class: 'axis', 'text-anchor': 'middle' }, 'no intervals'));
  }
  return svg;
}

function svgEl(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

/** 'YYYY-MM-DD' → the next calendar day, same form (calendar arithmetic, no time zone involved). */
function nextDay(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  if (!m) {
    return date; // the server names the bad field
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return d.toISOString().slice(0, 10);
}

function localDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
