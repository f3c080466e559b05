/**
 * What runs inside the measured pages, installed before any of the page's own scripts (kept as a string: the page
 * gets exactly this text). "After the paint" is a message posted from a requestAnimationFrame callback, which runs
 * once that frame's rendering is done — the way bench/editor/probe.ts measures the editor.
 *
 * - first render: from the navigation's time origin to the frame painted after `selector` matches `count` elements.
 * - live update: `watch(selector)` resolves with the wall-clock time (Date.now(), the clock the bench process writes
 *   with) of the frame painted after an element matching `selector` appeared or changed into it.
 */
export function probeScript(selector: string, count: number): string {
  return `(() => {
  const probe = { detected: null, painted: null, watching: null };
  Object.defineProperty(window, '__structureBench', { value: probe });
  const afterPaint = (fn) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => fn();
    channel.port2.postMessage(null);
  });
  const check = () => {
    const w = probe.watching;
    if (w && !w.seen && document.querySelector(w.selector)) {
      w.seen = true;
      afterPaint(() => w.resolve(Date.now()));
    }
  };
  probe.watch = (selector, timeoutMs) => new Promise((resolve) => {
    const timer = setTimeout(() => { probe.watching = null; resolve(null); }, timeoutMs);
    probe.watching = { selector, seen: false, resolve: (at) => { clearTimeout(timer); probe.watching = null; resolve(at); } };
    check();
  });
  const frame = () => {
    if (document.querySelectorAll(${JSON.stringify(selector)}).length >= ${Number(count)}) {
      probe.detected = performance.now();
      afterPaint(() => { probe.painted = performance.now(); });
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;
}

/**
 * Clicks the outline's "Expand all" and resolves with the time (ms) until the frame painted with `count` sections.
 * A string, like the probe: a function handed to page.evaluate would carry the TypeScript loader's helpers along.
 */
export function expandAllScript(count: number): string {
  return `new Promise((resolve) => {
  const t0 = performance.now();
  document.querySelector('[data-testid=expand-all]').click();
  const check = () => {
    if (document.querySelectorAll('[data-testid=outline-section]').length < ${Number(count)}) return void requestAnimationFrame(check);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now() - t0);
      channel.port2.postMessage(null);
    });
  };
  check();
})`;
}

export interface StructureProbe {
  /** performance.now() when every expected element was in the DOM, and when that frame was painted */
  detected: number | null;
  painted: number | null;
  watch(selector: string, timeoutMs: number): Promise<number | null>;
}
declare global {
  interface Window {
    __structureBench: StructureProbe;
  }
}
