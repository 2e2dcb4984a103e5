/*
 * The pages beside the live run, wired to index.html: the runs view, the compare view and the new-run
 * dialog that all pages share. main.js calls in here; the live page's own modules stay unaware of them.
 */

import { $ } from './util.js';
import { bindTokenInput } from './api.js';
import { createRunsView } from './runsview.js';
import { createCompareView } from './compareview.js';
import { createNewRunForm } from './newrunform.js';
import { prevalenceOf } from './newrun.js';

/** The new-run dialog; onStarted(id) is called when it has started a run. */
export function createNewRunDialog(onStarted) {
  return createNewRunForm({
    dialog: $('new-run'), form: $('new-run-form'), from: $('new-run-from'), remedies: $('new-run-remedies'),
    fields: $('new-run-fields'), extra: $('new-run-extra'), name: $('new-run-name'), notes: $('new-run-notes'),
    token: $('new-run-token'), status: $('new-run-status'), start: $('new-run-start'), cancel: $('new-run-cancel'),
  }, onStarted);
}

/**
 * What the remedy form needs for an alert's class: the classes and the class's share of positive
 * pixels, from the latest validation report (the whole validation split) or else the latest training batch.
 */
export function remedyContext(alertClass, classes, stores) {
  let prevalence = null;
  for (const store of [stores.validation, stores.train]) {
    const p = store.latest ? prevalenceOf([store.latest], alertClass) : null;
    if (p !== null && p > 0) {
      prevalence = p;
      break;
    }
  }
  return { className: alertClass, classes: classes.slice(), prevalence: prevalence };
}

/**
 * Shows the page the address names instead of the live run: 'runs' or 'compare'. Returns what a started
 * run should refresh (the runs view's list), or null.
 */
export function startOtherPage(page, newRun) {
  $('main').hidden = true;
  document.body.dataset.page = page.page;
  const skip = document.querySelector('.skip-link');
  if (page.page === 'runs') {
    $('runs-page').hidden = false;
    if (skip) skip.href = '#runs-page';
    bindTokenInput($('runs-token'));
    const view = createRunsView({
      root: $('runs-page'), table: $('runs-table'), tbody: $('runs-table').querySelector('tbody'), count: $('runs-count'),
      status: $('runs-status'), empty: $('runs-empty'), compare: $('runs-compare'), newRun: $('runs-new'), refresh: $('runs-refresh'),
    }, { newRun: (id) => newRun.open(id) });
    view.start();
    document.title = 'LossPrism · runs';
    return view.start;
  }
  $('compare-page').hidden = false;
  if (skip) skip.href = '#compare-page';
  createCompareView({
    root: $('compare-page'), runs: $('compare-runs'), status: $('compare-status'), split: $('compare-split'),
    metric: $('compare-metric'), classes: $('compare-classes'), iteration: $('compare-iteration'), latest: $('compare-latest'),
    diff: $('compare-diff'), table: $('compare-table'), tableIteration: $('compare-table-iteration'), chart: $('compare-chart'),
    legend: $('compare-legend'), compositions: $('compare-compositions'),
  }, page.ids, page.split).start();
  return null;
}
