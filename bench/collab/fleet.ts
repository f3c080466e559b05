/**
 * One process of the latency scenario's client fleet. The coordinator (run.ts) spreads N clients over a few of these
 * so no single event loop has to apply every update for all N readers: with 100 clients in one process, that process
 * alone needs most of a core, and its queueing and GC pauses set the tail instead of the server under test.
 *
 * Every process reads the same clock (CLOCK_MONOTONIC through process.hrtime), so latency still runs from the
 * intended send time in one process to the arrival in another.
 */
import * as Y from 'yjs';
import { connectClient, monotonicMs, paragraphFor, waitUntil, type BenchClient, type FleetCommand, type FleetReply } from './harness';

// Every y-websocket client adds a process 'exit' listener.
process.setMaxListeners(0);

interface Range {
  /** Global index of this process's first client; client c writes paragraph c when c < writers. */
  first: number;
  clients: BenchClient[];
}

let range: Range | undefined;

function reply(message: FleetReply) {
  process.send?.(message);
}

async function handle(command: FleetCommand): Promise<FleetReply> {
  switch (command.cmd) {
    case 'connect': {
      const clients: BenchClient[] = [];
      for (let i = 0; i < command.count; i += 50) {
        const batch = Array.from({ length: Math.min(50, command.count - i) }, () =>
          connectClient({ kind: command.kind, url: command.url }, command.name, command.token),
        );
        await Promise.all(batch.map((c) => c.synced()));
        clients.push(...batch);
      }
      range = { first: command.first, clients };
      return { ok: true };
    }
    case 'paragraphs': {
      const { first, clients } = range!;
      clients.forEach((client, i) => {
        const w = first + i;
        if (w >= command.writers) return;
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.setAttribute('w', String(w));
        paragraph.insert(0, [new Y.XmlText()]);
        client.doc.getXmlFragment('default').push([paragraph]);
      });
      return { ok: true };
    }
    case 'converge': {
      const settled = await waitUntil(() => range!.clients.every((c) => c.doc.getXmlFragment('default').length === command.writers), 60_000);
      return settled ? { ok: true } : { ok: false, error: 'setup did not converge' };
    }
    case 'run':
      return run(command);
    case 'close':
      for (const c of range?.clients ?? []) c.destroy();
      range = undefined;
      return { ok: true };
  }
}

async function run({ t0, interval, perWriter, writers, timeoutMs }: Extract<FleetCommand, { cmd: 'run' }>): Promise<FleetReply> {
  const { first, clients } = range!;
  const intended = (w: number, k: number) => t0 + (w / writers) * interval + (k - 1) * interval;
  const samples: number[] = [];
  clients.forEach((client, i) => {
    const c = first + i;
    const writerOf = new Map<unknown, number>();
    const seen = new Array<number>(writers).fill(0);
    for (let w = 0; w < writers; w++) if (w !== c) writerOf.set(paragraphFor(client.doc, w)!, w);
    client.doc.on('afterTransaction', (tr: Y.Transaction) => {
      const now = monotonicMs();
      for (const type of tr.changed.keys()) {
        const w = writerOf.get(type);
        if (w === undefined) continue;
        const length = (type as unknown as Y.XmlText).length;
        for (let k = seen[w]! + 1; k <= length; k++) samples.push(now - intended(w, k));
        seen[w] = Math.max(seen[w]!, length);
      }
    });
  });
  const own = clients.map((client, i) => ({ w: first + i, text: paragraphFor(client.doc, first + i)! })).filter(({ w }) => w < writers);
  const next = new Array<number>(own.length).fill(1);
  // Open loop: every edit has an intended send time, and latency counts from it, so a stalled sender shows up.
  for (;;) {
    const now = monotonicMs();
    let nextDue = Infinity;
    own.forEach(({ w, text }, j) => {
      while (next[j]! <= perWriter && intended(w, next[j]!) <= now) {
        text.insert(text.length, 'x');
        next[j]!++;
      }
      if (next[j]! <= perWriter) nextDue = Math.min(nextDue, intended(w, next[j]!));
    });
    if (nextDue === Infinity) break;
    await new Promise((r) => setTimeout(r, Math.max(0, nextDue - monotonicMs())));
  }
  // Each reader gets every writer's edits except its own.
  const expected = clients.reduce((n, _, i) => n + (writers - (first + i < writers ? 1 : 0)) * perWriter, 0);
  const complete = await waitUntil(() => samples.length >= expected, timeoutMs);
  return { ok: true, samples: Float64Array.from(samples), missing: complete ? 0 : expected - samples.length };
}

process.on('message', (command: FleetCommand) => {
  handle(command).then(reply, (error: Error) => reply({ ok: false, error: error.message }));
  if (command.cmd === 'close') setTimeout(() => process.exit(0), 200);
});
reply({ ok: true, ready: true });
