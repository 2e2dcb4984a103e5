/*
 * When the page draws. Views redraw at most every MIN_REDRAW_MS, on the next animation frame, or a
 * little later where no frame comes (a hidden tab, a headless browser), so the page never stops
 * following the run. Charts cost more the more points they hold: new data is drawn at most once per
 * CHART_COST_FACTOR times the last drawing's cost, so a long run never takes the browser's CPU.
 */

export const MIN_REDRAW_MS = 250;
const FRAME_FALLBACK_MS = 500;
export const CHART_COST_FACTOR = 8;

/** draw(): draws everything; returns {request(), drawn()}: ask for a redraw, note one done now. */
export function createRedrawScheduler(draw) {
  let pending = false;
  let last = -Infinity;

  return {
    request() {
      if (pending) return;
      pending = true;
      const wait = Math.max(0, last + MIN_REDRAW_MS - performance.now());
      setTimeout(() => {
        let done = false;
        const once = () => {
          if (!done) {
            done = true;
            if (pending) draw();
          }
        };
        requestAnimationFrame(once);
        setTimeout(once, FRAME_FALLBACK_MS);
      }, wait);
    },

    /** A drawing starts now (asked for or not): a pending request is served by it. */
    drawn() {
      pending = false;
      last = performance.now();
    },
  };
}

/** Whether new chart data waits, from the clock (ms) and what the last chart drawing cost. */
export function createChartPacer() {
  let cost = 0;
  let last = -Infinity;

  return {
    /** stale: the charts would draw new data; now: the clock. */
    shouldWait(stale, now) {
      return stale && now - last < cost * CHART_COST_FACTOR;
    },

    /** A chart drawing ran from start to end (ms). */
    drew(start, end) {
      last = start;
      cost = end - start;
    },
  };
}
