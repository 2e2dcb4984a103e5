/*
 * The network the run trains (GET /api/runs/{id}, its `model`: source, layers, parameters, input and
 * output shape), in the run panel. The server knows it once training has started, so an answer of
 * null is asked again on a later status or batch; one request at a time, none once known.
 */

import { count, isNum, setText } from './util.js';

const RETRY_MS = 3000; // batches come several times a second: ask again at most this often

function shape(v) {
  return Array.isArray(v) && v.every(isNum) ? '[' + v.map((d) => (d < 0 ? 'N' : String(d))).join(', ') + ']' : '?';
}

/** "unet (built-in) · 23 layers · 485,853 parameters · input [N, 3, 64, 64] → output [N, 5, 64, 64]"; '' without a model. */
export function modelText(model) {
  if (!model || typeof model !== 'object') return '';
  const parts = [typeof model.source === 'string' && model.source ? model.source : 'unknown source'];
  if (isNum(model.layers)) parts.push(count(model.layers) + (model.layers === 1 ? ' layer' : ' layers'));
  if (isNum(model.parameters)) parts.push(count(model.parameters) + ' parameters');
  parts.push('input ' + shape(model.inputShape) + ' → output ' + shape(model.outputShape));
  return parts.join(' · ');
}

/**
 * el: where the line goes; token(): the read token when reads need one (null: none). With readsNeedToken
 * and no token, or an answer 401/403, the line stays empty: the model is extra, not worth an error.
 */
export function createModelInfo(el, token, needsToken) {
  let runId = null;
  let model = null;
  let pending = false;
  let generation = 0;
  let askedAt = -Infinity;

  function show() {
    setText(el, model ? 'Model: ' + modelText(model) : '');
    el.dataset.parameters = model && isNum(model.parameters) ? String(model.parameters) : '';
  }

  return {
    /** Asks for the model of run `id` unless it is known or on its way. */
    want(id) {
      if (id !== runId) {
        runId = id;
        model = null;
        pending = false;
        askedAt = -Infinity;
        generation++;
        show();
      }
      const now = Date.now();
      if (runId === null || model !== null || pending || now - askedAt < RETRY_MS) return;
      const headers = { Accept: 'application/json' };
      const t = token();
      if (needsToken()) {
        if (!t) return;
        headers.Authorization = 'Bearer ' + t;
      }
      const gen = generation;
      pending = true;
      askedAt = now;
      fetch('/api/runs/' + encodeURIComponent(runId), { cache: 'no-store', headers })
        .then((r) => (r.ok ? r.json() : null))
        .then((run) => {
          if (gen !== generation) return;
          pending = false;
          model = run && run.model && typeof run.model === 'object' ? run.model : null;
          show();
        })
        .catch(() => {
          if (gen === generation) pending = false;
        });
    },
  };
}
