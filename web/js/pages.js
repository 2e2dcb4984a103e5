/*
 * Which page the address asks for, and the links between pages. One index.html serves them all:
 *   /                      the live run (the WebSocket feed)
 *   /?view=runs            every stored run
 *   /?compare=a,b[,...]    2 to 6 runs side by side (a link that can be shared)
 *   /?replay=<id>          a stored run drawn from its history, without a live feed
 * Pure: no DOM.
 */

export const MIN_COMPARE = 2;
export const MAX_COMPARE = 6;

/** The run ids of a compare parameter: trimmed, without empties and repeats, in the given order. */
export function compareIds(text) {
  const ids = [];
  for (const part of String(text || '').split(',')) {
    const id = part.trim();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** {page: 'live' | 'runs' | 'compare' | 'replay', ids: [...], split} from a query string. */
export function pageOf(search) {
  const params = new URLSearchParams(search || '');
  if (params.has('compare')) {
    return { page: 'compare', ids: compareIds(params.get('compare')), split: params.get('split') === 'validation' ? 'validation' : 'train' };
  }
  if (params.get('view') === 'runs') return { page: 'runs', ids: [] };
  const replay = (params.get('replay') || '').trim();
  if (replay) return { page: 'replay', ids: [replay] };
  return { page: 'live', ids: [] };
}

export function runsUrl() {
  return '/?view=runs';
}

/** The compare view of these runs (the split only when not the default). */
export function compareUrl(ids, split) {
  const base = '/?compare=' + ids.map(encodeURIComponent).join(',');
  return split === 'validation' ? base + '&split=validation' : base;
}

/** Where to open a run: the live page follows the run being trained, a replay shows any other. */
export function runUrl(run, currentId) {
  const live = run.id === currentId && ['starting', 'training', 'paused'].includes(run.state);
  return live ? '/' : '/?replay=' + encodeURIComponent(run.id);
}
