/**
 * What runs inside the measured page, installed before any of the page's own scripts. Kept as a string: the page
 * gets exactly this text, untouched by the TypeScript loader.
 *
 * - open: from the navigation's time origin to the frame painted after the editor shows every block of the chapter
 *   and accepts typing. A check once per frame (requestAnimationFrame) decides (\`detected\`); "after the paint" is a
 *   message posted from that frame's requestAnimationFrame callback, which runs once the frame's rendering is done
 *   (\`opened\`). A page whose main thread never catches up has a \`detected\` time and no \`opened\` one.
 * - keystroke: from the keydown event's timestamp (when the input was dispatched, so time spent queued behind a busy
 *   main thread counts) to the frame painted after the first DOM change that touched the paragraph under the caret.
 *   Changes elsewhere (a co-writer's typing, their caret) do not end a measurement.
 */
export function probeScript(expectedBlocks: number): string {
  return `(() => {
  const expected = ${Number(expectedBlocks)};
  const probe = { detected: null, opened: null, samples: [], missed: 0, pending: null, waiters: [] };
  Object.defineProperty(window, '__editorBench', { value: probe });
  const afterPaint = (fn) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => fn();
    channel.port2.postMessage(null);
  });
  const settle = () => {
    const waiting = probe.waiters;
    probe.waiters = [];
    for (const w of waiting) if (!w(probe.samples.length)) probe.waiters.push(w);
  };
  const blockOf = (node, root) => {
    while (node && node.parentNode !== root) node = node.parentNode;
    return node;
  };
  const attach = (root) => {
    window.addEventListener('keydown', (event) => {
      if (probe.pending) return;
      const selection = getSelection();
      const block = selection && selection.anchorNode ? blockOf(selection.anchorNode, root) : null;
      probe.pending = { t0: event.timeStamp, block, text: block ? block.textContent : null, seen: false, at: performance.now() };
    }, true);
    new MutationObserver(() => {
      const pending = probe.pending;
      if (!pending || pending.seen) return;
      if (pending.block && pending.block.isConnected && pending.block.textContent === pending.text) return;
      pending.seen = true;
      afterPaint(() => {
        probe.samples.push(performance.now() - pending.t0);
        probe.pending = null;
        settle();
      });
    }).observe(root, { childList: true, subtree: true, characterData: true });
  };
  const watchOpen = () => {
    const root = document.querySelector('[data-testid=document-workspace][data-ready=true] [data-testid=manuscript]');
    if (root && root.childElementCount >= expected && root.getAttribute('contenteditable') === 'true') {
      probe.detected = performance.now();
      afterPaint(() => {
        probe.opened = performance.now();
        attach(root);
      });
      return;
    }
    requestAnimationFrame(watchOpen);
  };
  requestAnimationFrame(watchOpen);
  // resolves once more than n keystrokes were measured, or with false when the key changed nothing in time
  probe.next = (n, timeoutMs) => new Promise((resolve) => {
    const timer = setTimeout(() => {
      probe.waiters = probe.waiters.filter((w) => w !== check);
      probe.pending = null;
      probe.missed++;
      resolve(false);
    }, timeoutMs);
    const check = (count) => {
      if (count <= n) return false;
      clearTimeout(timer);
      resolve(true);
      return true;
    };
    if (!check(probe.samples.length)) probe.waiters.push(check);
  });
})();`;
}
