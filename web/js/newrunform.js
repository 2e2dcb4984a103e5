/*
 * The new-run dialog: the keys a user changes between runs, filled from a run's stored configuration,
 * sent as overrides with the control token (POST /api/runs). The server's refusal is shown word for
 * word. Opened for an alert's class it first offers remedies (newrun.js) and applies the first; once
 * such a run starts, the page opens the compare view of the old run and the new one.
 */

import { node, setText } from './util.js';
import { bindTokenInput, getJson, requestJson } from './api.js';
import { compareUrl } from './pages.js';
import { FIELDS, overridesFrom, remedies, valuesFromConfig } from './newrun.js';

const GROUPS = { loss: 'Loss', training: 'Training', model: 'Built-in U-Net' };

/**
 * els: {dialog, form, from, remedies, fields, extra, name, notes, token, status, start, cancel};
 * onStarted(id): a run was started from the form (the runs view reloads its list).
 */
export function createNewRunForm(els, onStarted) {
  const inputs = new Map(); // key → input or select
  let fromRun = null;
  let remedyFor = null; // class name when opened from an alert
  let busy = false;
  const refreshToken = bindTokenInput(els.token);

  function say(text, kind) {
    setText(els.status, text);
    els.status.dataset.kind = kind || 'info';
  }

  function buildFields() {
    for (const group of Object.keys(GROUPS)) {
      const set = node('fieldset', 'field-group');
      set.append(node('legend', null, GROUPS[group]));
      for (const f of FIELDS.filter((x) => x.group === group)) {
        const id = 'nr-' + f.key.replace(/\./g, '-');
        const label = node('label', null, f.label);
        label.htmlFor = id;
        label.title = f.key;
        let input;
        if (f.kind === 'select') {
          input = node('select');
          input.append(new Option('(server default)', ''));
          for (const o of f.options) input.append(new Option(o, o));
        } else {
          input = node('input');
          input.type = 'text';
          input.spellcheck = false;
          input.placeholder = f.kind === 'list' ? '[…] or server default' : 'server default';
          if (f.kind === 'number') input.inputMode = 'decimal';
        }
        input.id = id;
        input.name = f.key;
        input.dataset.key = f.key;
        set.append(label, input);
        inputs.set(f.key, input);
      }
      els.fields.append(set);
    }
  }

  function setValue(key, value) {
    const input = inputs.get(key);
    if (!input) return;
    const v = value === undefined || value === null ? '' : String(value);
    if (input.tagName === 'SELECT' && v !== '' && !Array.from(input.options).some((o) => o.value === v)) {
      input.append(new Option(v, v)); // a value this page does not list: keep it, the server judges it
    }
    input.value = v;
    input.classList.toggle('changed', false);
  }

  function values() {
    const out = {};
    for (const [key, input] of inputs) out[key] = input.value;
    return out;
  }

  function showRemedies(list) {
    els.remedies.replaceChildren();
    els.remedies.hidden = list.length === 0;
    if (!list.length) return;
    els.remedies.append(node('p', 'remedies-title', 'Try a remedy for ' + remedyFor + ':'));
    list.forEach((r, i) => {
      const label = node('label', 'remedy');
      const radio = node('input');
      radio.type = 'radio';
      radio.name = 'remedy';
      radio.value = r.id;
      radio.checked = i === 0;
      radio.addEventListener('change', () => applyRemedy(r));
      label.append(radio, node('strong', null, ' ' + r.title), node('span', 'note remedy-why', ' ' + r.why));
      els.remedies.append(label);
    });
    applyRemedy(list[0]);
  }

  let base = {}; // the fields as the source run had them
  function applyRemedy(r) {
    for (const key of Object.keys(base)) setValue(key, base[key]);
    for (const key of Object.keys(r.values)) {
      setValue(key, r.values[key]);
      inputs.get(key).classList.add('changed');
    }
    els.name.value = 'remedy for ' + remedyFor + ': ' + r.short;
    els.form.dataset.remedy = r.id;
  }

  /**
   * Opens the dialog from run `runId` (its stored configuration fills the fields; null: the server's);
   * remedy: {className, classes, prevalence} offers remedies for that class.
   */
  async function open(runId, remedy) {
    fromRun = runId;
    remedyFor = remedy ? remedy.className : null;
    busy = false;
    els.start.disabled = false;
    refreshToken();
    els.extra.value = '';
    els.notes.value = '';
    els.name.value = '';
    els.remedies.hidden = true;
    delete els.form.dataset.remedy;
    delete els.status.dataset.runId;
    delete els.status.dataset.status;
    for (const key of inputs.keys()) setValue(key, '');
    say('', 'info');
    if (!els.dialog.open) {
      if (typeof els.dialog.showModal === 'function') els.dialog.showModal();
      else els.dialog.setAttribute('open', '');
    }
    els.form.dataset.ready = 'false';
    let config = {};
    if (runId) {
      setText(els.from, 'Starting from run ' + runId + '\'s configuration.');
      const answer = await getJson('/api/runs/' + encodeURIComponent(runId));
      if (answer.ok && answer.data && typeof answer.data.config === 'object') config = answer.data.config || {};
      else say('Could not read run ' + runId + '\'s configuration (' + answer.error + '); the fields show the server\'s.', 'error');
    } else {
      setText(els.from, 'Starting from the server\'s configuration.');
    }
    base = valuesFromConfig(config);
    for (const key of Object.keys(base)) setValue(key, base[key]);
    if (remedy) showRemedies(remedies(remedy.classes, remedy.className, remedy.prevalence, base));
    els.form.dataset.ready = 'true';
  }

  function close() {
    if (typeof els.dialog.close === 'function' && els.dialog.open) els.dialog.close();
    else els.dialog.removeAttribute('open');
  }

  async function submit() {
    if (busy) return;
    busy = true;
    els.start.disabled = true;
    const overrides = overridesFrom(values(), els.extra.value);
    say('Starting…', 'pending');
    const token = els.token.value;
    const answer = await requestJson('POST', '/api/runs', { overrides: overrides }, token);
    busy = false;
    els.start.disabled = false;
    if (!answer.ok) {
      say(answer.error, 'error'); // the server's message, word for word
      els.status.dataset.status = String(answer.status);
      return;
    }
    const id = answer.data && answer.data.id != null ? String(answer.data.id) : null;
    els.status.dataset.status = String(answer.status);
    if (id) els.status.dataset.runId = id;
    let note = '';
    if (id && (els.name.value.trim() || els.notes.value.trim())) {
      const named = await requestJson('PATCH', '/api/runs/' + encodeURIComponent(id),
        { name: els.name.value.trim(), notes: els.notes.value }, token);
      if (!named.ok) note = ' (name and notes not saved: ' + named.error + ')';
    }
    if (id && onStarted) onStarted(id);
    if (id && fromRun && remedyFor) {
      window.location.href = compareUrl([fromRun, id]);
      return;
    }
    els.status.replaceChildren(node('span', null, 'Started run ' + (id || '?') + note + '. '));
    const follow = node('a', null, 'Follow it live');
    follow.href = '/';
    els.status.append(follow);
    if (id && fromRun) {
      const compare = node('a', null, 'compare with ' + fromRun);
      compare.href = compareUrl([fromRun, id]);
      els.status.append(node('span', null, ' · '), compare);
    }
    els.status.dataset.kind = 'ok';
  }

  buildFields();
  for (const input of inputs.values()) input.addEventListener('input', () => input.classList.add('changed'));
  els.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  els.cancel.addEventListener('click', close);

  return { open: open, close: close };
}
