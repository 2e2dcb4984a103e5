/*
 * The live-runs picker: lists the runs live now (GET /api/live: the DL4J run the server trains and
 * external Keras/PyTorch runs) and follows the one picked. The URL names the run followed (/?run=<id>);
 * without it the page follows the server's default run (the live DL4J run, else the most recent live
 * run). Picking a run loads the page for it, so every view starts from that run's own history.
 */

/** The run the page's URL names (?run=), or null for the server's default. */
export function runFromSearch(search) {
  const run = new URLSearchParams(search || '').get('run');
  return run && run.trim() ? run.trim() : null;
}

/** The page's address following `runId` (null: the default run), other query parameters kept. */
export function urlForRun(href, runId) {
  const url = new URL(href);
  if (runId) url.searchParams.set('run', runId);
  else url.searchParams.delete('run');
  return url.pathname + url.search + url.hash;
}

/** An API path for the run followed: `path?run=<id>`, or `path` for the default run. */
export function apiPath(path, runId) {
  return runId ? path + '?run=' + encodeURIComponent(runId) : path;
}

/** One option's text: name, kind, state and iteration. */
export function runLabel(run) {
  const name = run.name && run.name !== run.id ? run.name + ' (' + run.id + ')' : String(run.id);
  const iteration = Number.isFinite(run.iteration) ? ', iteration ' + run.iteration : '';
  return name + ' · ' + (run.kind || 'run') + ', ' + (run.state || 'unknown') + iteration;
}

/**
 * The picker's options for GET /api/live's answer ({default, runs}) and the run followed (null: the
 * default): first the default, then each live run, most recent first; a followed run that is no longer
 * live stays listed as ended, so the picker always shows what the page shows.
 */
export function pickerOptions(live, followed) {
  const runs = live && Array.isArray(live.runs) ? live.runs.filter((r) => r && r.id) : [];
  const defaultId = live && live.default ? String(live.default) : '';
  const options = [{
    value: '',
    text: 'default run' + (defaultId ? ' (' + defaultId + ')' : ''),
    selected: followed === null,
  }];
  for (const run of runs) {
    options.push({ value: String(run.id), text: runLabel(run), selected: followed === String(run.id) });
  }
  if (followed !== null && !runs.some((r) => String(r.id) === followed)) {
    options.push({ value: followed, text: followed + ' · not live', selected: true });
  }
  return options;
}

/**
 * els: select. options: followed (run id or null), fetchLive() -> Promise of GET /api/live's JSON,
 * go(path) (navigates). Refreshes the list every `everyMs` while the page is open.
 */
export function createPicker(els, options) {
  const everyMs = options.everyMs || 5000;
  let shown = '';

  function render(live) {
    const list = pickerOptions(live, options.followed);
    const key = JSON.stringify(list);
    if (key === shown) return; // unchanged: keep the select as the user may be looking at it
    shown = key;
    els.select.replaceChildren(...list.map((o) => {
      const option = document.createElement('option');
      option.value = o.value;
      option.textContent = o.text;
      option.selected = o.selected;
      return option;
    }));
    els.select.disabled = list.length < 2;
  }

  function refresh() {
    return options.fetchLive().then(render).catch(() => { /* the next refresh tries again */ });
  }

  els.select.addEventListener('change', () => {
    options.go(urlForRun(window.location.href, els.select.value || null));
  });

  return {
    refresh,
    start() {
      refresh();
      setInterval(refresh, everyMs);
    },
  };
}
