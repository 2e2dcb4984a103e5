/*
 * A stored run on the live page (/?replay=<id>): its record, its reports of both splits (paged from
 * GET /api/runs/{id}/reports) and its alert transitions go through the same message handling as the
 * live feed (a hello, history messages, an alerts snapshot), so every view draws it as it would a live
 * run. No WebSocket is opened.
 */

import { getJson } from './api.js';
import { isNum, plainObject } from './util.js';

const PAGE = 5000; // the server's most reports per request

/** The alerts active at the end of a run: the latest transition of each alert instance, if pending or firing. */
export function activeAtEnd(transitions) {
  const latest = new Map();
  for (const t of transitions) {
    if (!plainObject(t)) continue;
    const key = JSON.stringify([t.alertname, t.class == null ? null : t.class, t.split || 'train']);
    const held = latest.get(key);
    const it = isNum(t.iteration) ? t.iteration : -1;
    if (!held || it >= (isNum(held.iteration) ? held.iteration : -1)) latest.set(key, t);
  }
  const out = [];
  for (const t of latest.values()) {
    const to = String(t.to || '').toLowerCase();
    if (to !== 'pending' && to !== 'firing') continue;
    out.push({
      alertname: t.alertname, class: t.class == null ? null : t.class, severity: t.severity, split: t.split || 'train',
      state: to, sinceIteration: isNum(t.iteration) ? t.iteration : null, value: t.value, evidence: t.evidence, summary: t.summary,
    });
  }
  return out;
}

/** receive(message) handles one feed message; say(text) reports a failure. Resolves when all is loaded. */
export async function replayRun(id, receive, say) {
  const path = '/api/runs/' + encodeURIComponent(id);
  const run = await getJson(path);
  if (!run.ok) {
    say('Cannot replay run ' + id + ': ' + run.error);
    return false;
  }
  const r = run.data || {};
  receive({
    type: 'hello', version: 1,
    run: { id: String(r.id), state: r.state, createdAt: r.createdAt },
    status: { state: r.state, epoch: r.epoch, iteration: r.iteration, message: r.message || '' },
  });
  for (const split of ['train', 'validation']) {
    let after = 0;
    for (;;) {
      const page = await getJson(path + '/reports?split=' + split + '&after=' + after + '&limit=' + PAGE);
      if (!page.ok) {
        say('Could not load run ' + id + '\'s ' + split + ' reports: ' + page.error);
        return false;
      }
      const reports = Array.isArray(page.data.reports) ? page.data.reports : [];
      if (reports.length) receive({ type: 'history', split: split, after: after, reports: reports });
      if (reports.length < PAGE) break;
      after = reports[reports.length - 1].iteration;
    }
  }
  const alerts = await getJson(path + '/alerts');
  if (alerts.ok && Array.isArray(alerts.data.alerts)) {
    receive({ type: 'alerts', history: alerts.data.alerts, active: activeAtEnd(alerts.data.alerts) });
  }
  return true;
}
