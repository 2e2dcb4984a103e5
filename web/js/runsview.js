/*
 * The runs view (/?view=runs): every stored run with its name, state, start, iterations, loss, network,
 * latest IoU per class (train and validation) and alert count, sortable by any column. A run opens live
 * (the one being trained) or as a replay; it can be renamed and annotated (PATCH /api/runs/{id}) and
 * deleted with its checkpoints (DELETE, asked twice, never the run being trained); 2 to 6 ticked runs
 * open the compare view. The list refreshes itself while a run is active.
 */

import { DASH, fixed, node, setText } from './util.js';
import { getJson, requestJson } from './api.js';
import { MAX_COMPARE, MIN_COMPARE, compareUrl, runUrl } from './pages.js';
import { ACTIVE_STATES, deletable, nextSort, normRunList, sortRuns } from './runstable.js';

const REFRESH_MS = 5000;
const DELETE_CONFIRM_MS = 5000;

function when(ms) {
  if (ms === null) return DASH;
  const d = new Date(ms);
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The per-class IoU of a latest report: "name value" each, the worst marked. */
function iouList(latest, worst) {
  if (!latest || !latest.classes.length) return node('span', 'muted', DASH);
  const ul = node('ul', 'iou-list');
  if (latest.iteration !== null) ul.title = 'iteration ' + latest.iteration;
  for (const c of latest.classes) {
    const li = node('li', c.iou !== null && c.iou === worst ? 'is-worst' : null);
    li.dataset.class = c.name;
    li.dataset.iou = c.iou === null ? '' : String(c.iou);
    li.append(node('span', 'iou-name', c.name), node('span', 'iou-value', fixed(c.iou, 2)));
    ul.append(li);
  }
  return ul;
}

/** els: {root, table, tbody, count, status, empty, compare, newRun, refresh}; hooks: newRun(runId). */
export function createRunsView(els, hooks) {
  let list = { current: null, runs: [] };
  let sort = { key: 'createdAt', direction: 'descending' };
  const selected = []; // ids in the order ticked: the first is the compare baseline
  let editing = null; // id whose edit row is open
  let armed = null; // {id, until, timer} of a delete asked once
  let timer = null;

  function say(text, kind) {
    setText(els.status, text);
    els.status.dataset.kind = kind || 'info';
  }

  async function load() {
    const answer = await getJson('/api/runs');
    if (!answer.ok) {
      say('Could not load the runs: ' + answer.error, 'error');
      return;
    }
    list = normRunList(answer.data);
    for (let i = selected.length - 1; i >= 0; i--) if (!list.runs.some((r) => r.id === selected[i])) selected.splice(i, 1);
    if (editing === null && armed === null) render();
    else renderCount();
    schedule();
  }

  function schedule() {
    if (timer !== null) clearTimeout(timer);
    timer = list.runs.some((r) => ACTIVE_STATES.includes(r.state)) ? setTimeout(load, REFRESH_MS) : null;
  }

  function renderCount() {
    setText(els.count, '(' + list.runs.length + ')');
    els.empty.hidden = list.runs.length > 0;
    const n = selected.length;
    els.compare.disabled = n < MIN_COMPARE || n > MAX_COMPARE;
    setText(els.compare, 'Compare selected' + (n ? ' (' + n + ')' : ''));
    els.compare.title = n > MAX_COMPARE ? 'at most ' + MAX_COMPARE + ' runs' : 'tick ' + MIN_COMPARE + ' to ' + MAX_COMPARE + ' runs';
  }

  function renderSortHeaders() {
    for (const th of els.table.querySelectorAll('thead th[data-sort]')) {
      const on = th.dataset.sort === sort.key;
      th.setAttribute('aria-sort', on ? sort.direction : 'none');
      const mark = th.querySelector('.sort-mark');
      if (mark) mark.textContent = on ? (sort.direction === 'ascending' ? '▲' : '▼') : '';
    }
  }

  function pickBox(run) {
    const box = node('input');
    box.type = 'checkbox';
    box.className = 'run-pick';
    box.checked = selected.includes(run.id);
    box.setAttribute('aria-label', 'compare ' + (run.name || run.id));
    box.addEventListener('change', () => {
      const i = selected.indexOf(run.id);
      if (box.checked && i < 0) selected.push(run.id);
      if (!box.checked && i >= 0) selected.splice(i, 1);
      renderCount();
    });
    return box;
  }

  function actionButton(label, className, onClick) {
    const b = node('button', className, label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function disarm() {
    if (armed) clearTimeout(armed.timer);
    armed = null;
  }

  async function remove(run, button) {
    if (!armed || armed.id !== run.id || performance.now() > armed.until) {
      disarm();
      armed = { id: run.id, until: performance.now() + DELETE_CONFIRM_MS, timer: setTimeout(() => {
        disarm();
        render();
        say('Delete cancelled.', 'info');
      }, DELETE_CONFIRM_MS) };
      render(); // only this run's button asks for confirmation
      const again = els.tbody.querySelector('tr[data-run="' + CSS.escape(run.id) + '"] button.run-delete');
      if (again) again.focus();
      say('Deleting removes run ' + (run.name || run.id) + ', its history and checkpoints for good. Press “Confirm delete” within 5 s.', 'pending');
      return;
    }
    disarm();
    button.disabled = true;
    const answer = await requestJson('DELETE', '/api/runs/' + encodeURIComponent(run.id), undefined);
    if (answer.ok) say('Deleted run ' + (run.name || run.id) + '.', 'ok');
    else say('Delete refused: ' + answer.error, 'error');
    await load();
    render();
  }

  function editRow(run) {
    const tr = node('tr', 'edit-row');
    tr.dataset.run = run.id;
    const td = node('td');
    td.colSpan = 11;
    const form = node('form', 'run-edit');
    const nameId = 'edit-name-' + run.id;
    const notesId = 'edit-notes-' + run.id;
    const name = node('input');
    name.id = nameId;
    name.name = 'name';
    name.value = run.name;
    name.maxLength = 100;
    const notes = node('textarea');
    notes.id = notesId;
    notes.name = 'notes';
    notes.rows = 3;
    notes.maxLength = 4000;
    notes.value = run.notes;
    const nameLabel = node('label', null, 'Name');
    nameLabel.htmlFor = nameId;
    const notesLabel = node('label', null, 'Notes');
    notesLabel.htmlFor = notesId;
    const save = node('button', null, 'Save');
    save.type = 'submit';
    const cancel = actionButton('Cancel', null, () => {
      editing = null;
      render();
    });
    form.append(nameLabel, name, notesLabel, notes, node('div', 'buttons', null));
    form.lastChild.append(save, cancel);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      save.disabled = true;
      const answer = await requestJson('PATCH', '/api/runs/' + encodeURIComponent(run.id), { name: name.value, notes: notes.value });
      save.disabled = false;
      if (!answer.ok) {
        say('Not saved: ' + answer.error, 'error');
        return;
      }
      say('Saved ' + (name.value || run.id) + '.', 'ok');
      editing = null;
      await load();
      render();
    });
    td.append(form);
    tr.append(td);
    return tr;
  }

  function runRow(run) {
    const tr = node('tr');
    tr.dataset.run = run.id;
    tr.dataset.state = run.state;
    if (run.id === list.current) tr.classList.add('is-current');
    const pick = node('td', 'pick');
    pick.append(pickBox(run));

    const nameCell = node('th', 'name');
    nameCell.scope = 'row';
    const link = node('a', 'run-open', run.name || run.id);
    link.href = runUrl(run, list.current);
    nameCell.append(link);
    if (run.name) nameCell.append(node('span', 'run-id muted', run.id));
    if (run.id === list.current) nameCell.append(node('span', 'current-tag', 'current'));
    if (run.notes) {
      const notes = node('p', 'run-notes', run.notes);
      nameCell.append(notes);
    }

    const state = node('td');
    const badge = node('span', 'badge', run.state);
    badge.dataset.state = run.state;
    state.append(badge);

    const actions = node('td', 'actions-col');
    const open = node('a', 'button-link', ACTIVE_STATES.includes(run.state) && run.id === list.current ? 'follow' : 'replay');
    open.href = runUrl(run, list.current);
    const edit = actionButton('rename / notes', 'run-edit-button', () => {
      disarm();
      editing = run.id;
      render();
      const input = document.getElementById('edit-name-' + run.id);
      if (input) input.focus();
    });
    const again = actionButton('new run from it', 'run-new-button', () => hooks.newRun(run.id));
    const del = actionButton('delete', 'danger run-delete', (ev) => remove(run, ev.currentTarget));
    if (!deletable(run, list.current)) {
      del.disabled = true;
      del.title = 'the run being trained cannot be deleted; stop it first';
    }
    if (armed && armed.id === run.id) {
      del.textContent = 'Confirm delete';
      del.classList.add('armed');
    }
    actions.append(open, edit, again, del);

    const alerts = node('td', 'num', run.alertCount === null ? DASH : String(run.alertCount));
    alerts.dataset.col = 'alertCount';
    if (run.alertCount) alerts.classList.add('has-alerts');
    const iterations = node('td', 'num', run.iteration === null ? DASH : run.iteration.toLocaleString('en-US'));
    iterations.dataset.col = 'iteration';
    const train = node('td', 'iou-cell');
    train.dataset.col = 'train';
    train.append(iouList(run.train, run.trainIou));
    const validation = node('td', 'iou-cell');
    validation.dataset.col = 'validation';
    validation.append(iouList(run.validation, run.validationIou));
    tr.append(pick, nameCell, state, node('td', 'when', when(run.createdAt)), iterations, node('td', 'loss', run.loss || DASH),
      node('td', 'model', run.model || DASH), train, validation, alerts, actions);
    return tr;
  }

  function render() {
    renderCount();
    renderSortHeaders();
    const rows = [];
    for (const run of sortRuns(list.runs, sort.key, sort.direction)) {
      rows.push(runRow(run));
      if (editing === run.id) rows.push(editRow(run));
    }
    els.tbody.replaceChildren(...rows);
    els.root.dataset.runs = String(list.runs.length);
  }

  for (const th of els.table.querySelectorAll('thead th[data-sort]')) {
    const button = th.querySelector('button');
    if (!button) continue;
    button.addEventListener('click', () => {
      sort = nextSort(sort, th.dataset.sort);
      render();
    });
  }
  els.compare.addEventListener('click', () => {
    if (selected.length >= MIN_COMPARE && selected.length <= MAX_COMPARE) window.location.href = compareUrl(selected);
  });
  els.newRun.addEventListener('click', () => hooks.newRun(list.current || (list.runs[0] && list.runs[0].id) || null));
  els.refresh.addEventListener('click', () => {
    editing = null;
    disarm();
    load().then(render);
  });

  return {
    start: load,
    selected: () => selected.slice(),
  };
}
