/*
 * The run the page follows, without the DOM: its configuration, classes and training status, and the
 * reports of each split in a bounded SeriesStore, merged from the feed's messages (docs/protocol.md).
 *
 * A `hello` starts a run's state afresh, unless it is a reconnect to the run the page already follows;
 * `history` messages merge by iteration (a gap fill that overlaps what is held makes no duplicates);
 * live `batch` messages add to them, and may come before a split's history (protocol 3). What the page
 * asks for on a reconnect is only the range it holds without a hole: per split, the end of the last
 * history received (whose range began within what was held), carried on by the batches after it on the
 * same connection; a batch before that history says nothing about what lies below it. A training batch also says where training is. Values the server
 * sends (the trainer's smoothed images per second among them) are kept as sent, never recomputed.
 */

import { isNum, sameList } from './util.js';
import { SeriesStore } from './series.js';
import { historyReports } from './history.js';

/** The version of batch reports (their `version`) this page reads. */
export const PROTOCOL_VERSION = 1;
/**
 * The feed protocol (hello's `protocol`) this page speaks; 2: columnar history messages; 3: live batches
 * may come before a split's history.
 */
export const FEED_PROTOCOL = 3;
export const SPLITS = ['train', 'validation'];

function freshStatus() {
  return { state: 'unknown', epoch: 0, epochs: null, iteration: 0, iterationsPerEpoch: null, imagesPerSecond: null, message: '' };
}

export function splitOf(msg) {
  return msg && msg.split === 'validation' ? 'validation' : 'train';
}

/** The class names of a report, in class index order ("class i" where a name is missing). */
export function classNamesOf(report) {
  const classes = Array.isArray(report.classes) ? report.classes.slice() : [];
  classes.sort((a, b) => (isNum(a && a.index) ? a.index : 0) - (isNum(b && b.index) ? b.index : 0));
  return classes.map((c, i) => (c && c.name != null ? String(c.name) : 'class ' + i));
}

/** The run object of a hello, or null. */
function runOf(hello) {
  return hello.run && typeof hello.run === 'object' ? hello.run : null;
}

export function runIdOf(hello) {
  const run = runOf(hello);
  return run && run.id != null ? String(run.id) : null;
}

/** hooks: classesChanged(names), called when the run's classes change (the table rebuilds its rows). */
export function createRunState(hooks) {
  const changed = hooks && hooks.classesChanged ? hooks.classesChanged : () => {};

  const run = {
    classes: [],
    config: {},
    runId: null,
    helloSeen: false,
    status: freshStatus(),
    stores: { train: new SeriesStore(), validation: new SeriesStore() },
    downsampled: { train: false, validation: false },
    samples: null,
    /** Per split, the last iteration up to which every report is held (null: none), and whether batches carry it on. */
    covered: { train: null, validation: null },
    contiguous: { train: false, validation: false },
    batches: 0,
    socketMessages: 0,
    versionWarning: '',

    /** Counts a message (alerts say nothing about training) and notes a protocol version other than this page's. */
    note(msg) {
      if (msg.type !== 'alert') run.socketMessages++;
      if (msg.type === 'hello' && msg.protocol !== undefined && msg.protocol !== FEED_PROTOCOL && !run.versionWarning) {
        run.versionWarning = 'The server speaks feed protocol ' + msg.protocol + '; this page expects protocol '
          + FEED_PROTOCOL + '. Some values may be missing.';
      }
      if (msg.version !== undefined && msg.version !== PROTOCOL_VERSION && !run.versionWarning) {
        run.versionWarning = 'The server speaks feed version ' + msg.version + '; this page expects version '
          + PROTOCOL_VERSION + '. Some values may be missing.';
      }
    },

    /** Whether a hello begins another run than the one held. */
    isNewRun(msg) {
      if (!run.helloSeen) return true;
      if (runIdOf(msg) !== run.runId) return true;
      const serverAt = msg.status && isNum(msg.status.iteration) ? msg.status.iteration : null;
      const held = run.stores.train.lastIteration();
      return serverAt !== null && held !== null && serverAt < held; // the server restarted without run ids
    },

    /** Everything a run accumulates, forgotten; the run id is the new run's. */
    reset(runId) {
      run.stores.train.clear();
      run.stores.validation.clear();
      run.downsampled = { train: false, validation: false };
      run.covered = { train: null, validation: null };
      run.contiguous = { train: false, validation: false };
      run.samples = null;
      run.batches = 0;
      run.status = freshStatus();
      run.runId = runId;
    },

    /** Takes a hello's configuration, classes and status; returns true when the status is still unknown. */
    applyHello(msg) {
      const info = runOf(msg);
      run.helloSeen = true;
      run.contiguous = { train: false, validation: false }; // a new connection: its history comes first
      run.runId = runIdOf(msg);
      run.config = {
        imageSize: msg.imageSize,
        batchSize: msg.batchSize,
        epochs: msg.epochs,
        iterationsPerEpoch: msg.iterationsPerEpoch,
        convention: typeof msg.convention === 'string' ? msg.convention : run.config.convention,
        controlsNeedToken: msg.controlsNeedToken !== false,
        readsNeedToken: run.config.readsNeedToken,
        run: info,
      };
      const st = run.status;
      if (isNum(msg.epochs)) st.epochs = msg.epochs;
      if (isNum(msg.iterationsPerEpoch) && msg.iterationsPerEpoch > 0) st.iterationsPerEpoch = msg.iterationsPerEpoch;
      if (Array.isArray(msg.classes)) setClasses(msg.classes.map(String));
      if (msg.status && typeof msg.status === 'object') {
        run.applyStatus(msg.status);
        return false;
      }
      if (info && typeof info.state === 'string') {
        st.state = info.state;
        return false;
      }
      return true;
    },

    onHistory(msg) {
      const reports = historyReports(msg);
      const split = splitOf(msg);
      extendCovered(split, msg, reports);
      if (!reports.length) return;
      if (!run.classes.length) setClasses(classNamesOf(reports[0]));
      const store = run.stores[split];
      run.batches += store.merge(reports);
      if (msg.downsampled === true) run.downsampled[split] = true;
      const latest = store.latest;
      if (latest && typeof latest.convention === 'string') run.config.convention = latest.convention;
      if (split === 'train' && latest) followTrainingBatch(latest, false);
    },

    onBatch(msg) {
      run.batches++;
      const split = splitOf(msg);
      const names = classNamesOf(msg);
      if (names.length) setClasses(names);
      if (!run.stores[split].add(msg)) return;
      if (run.contiguous[split] && msg.iteration > run.covered[split]) run.covered[split] = msg.iteration;
      if (typeof msg.convention === 'string') run.config.convention = msg.convention;
      if (split === 'train') followTrainingBatch(msg, true);
    },

    /** A `status` message, the status of a hello, or GET /api/status. */
    applyStatus(s) {
      if (!s || typeof s !== 'object') return;
      const st = run.status;
      if (typeof s.state === 'string') st.state = s.state;
      if (isNum(s.epoch)) st.epoch = s.epoch;
      if (isNum(s.epochs)) st.epochs = s.epochs;
      if (isNum(s.iteration)) st.iteration = Math.max(s.iteration, s.state === 'starting' ? 0 : st.iteration);
      if (isNum(s.iterationsPerEpoch) && s.iterationsPerEpoch > 0) st.iterationsPerEpoch = s.iterationsPerEpoch;
      if (isNum(s.imagesPerSecond)) st.imagesPerSecond = s.imagesPerSecond;
      st.message = typeof s.message === 'string' ? s.message : '';
    },

    /** The latest samples, unless older than those held for the same split. */
    onSamples(msg) {
      if (!isNum(msg.iteration) || !Array.isArray(msg.images)) return;
      if (run.samples && run.samples.iteration > msg.iteration && run.samples.split === msg.split) return;
      run.samples = msg;
    },

    /** Images per training iteration: the batch size, or the latest training report's image count. */
    imagesPerIteration() {
      if (isNum(run.config.batchSize)) return run.config.batchSize;
      const latest = run.stores.train.latest;
      return latest ? latest.images : undefined;
    },

    /**
     * Per split, the last iteration up to which every report is held (null: none): a reconnection asks
     * for what comes after, so it never claims batches that arrived before their history.
     */
    held() {
      return { train: run.covered.train, validation: run.covered.validation };
    },
  };

  /**
   * A history whose range starts within what is held (after <= covered; 0: from the start) makes the
   * covered range reach its last report (or its `after`, when it brings none) and lets the batches after
   * it carry it on; one that starts past a hole changes nothing.
   */
  function extendCovered(split, msg, reports) {
    const after = isNum(msg.after) ? msg.after : 0;
    const held = run.covered[split] === null ? 0 : run.covered[split];
    if (after > held) return;
    let end = after;
    for (const r of reports) if (r.iteration > end) end = r.iteration;
    run.covered[split] = Math.max(held, end) || null;
    run.contiguous[split] = true;
  }

  function setClasses(names) {
    if (sameList(names, run.classes)) return;
    if (run.classes.length) { // other classes: the rows held no longer fit
      run.stores.train.clear();
      run.stores.validation.clear();
      run.covered = { train: null, validation: null };
    }
    run.classes = names.slice();
    changed(run.classes);
  }

  /** A training batch also tells where training is. */
  function followTrainingBatch(msg, live) {
    const st = run.status;
    if (isNum(msg.iteration) && msg.iteration >= st.iteration) {
      st.iteration = msg.iteration;
      if (isNum(msg.epoch)) st.epoch = msg.epoch;
      if (isNum(msg.imagesPerSecond)) st.imagesPerSecond = msg.imagesPerSecond;
    }
    if (live && (st.state === 'starting' || st.state === 'unknown')) st.state = 'training';
  }

  return run;
}
