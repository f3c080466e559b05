import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `hocuspocus-again` is bare Hocuspocus run a second time in the same round, to show the noise between identical
 * servers. `quire-base` is apps/collab from another checkout (--base=<path>), to compare two commits in one run.
 */
export type ServerKind = 'quire' | 'quire-base' | 'hocuspocus' | 'y-websocket' | 'hocuspocus-again';

/** Both kinds of apps/collab: they need real documents and tokens, and report stores and commits. */
export const isQuire = (kind: ServerKind) => kind === 'quire' || kind === 'quire-base';

export interface ServerStats {
  documents: number;
  stores?: number;
  logCommits?: number;
}

export interface ServerHandle {
  kind: ServerKind;
  url: string;
  pid: number;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

export interface BenchClient {
  doc: Y.Doc;
  synced(): Promise<void>;
  destroy(): void;
}

/** Bounded wait; benchmarks report a failure instead of hanging. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU-seconds of a process and all its children, living or reaped (a server such as Postgres that forks a backend
 * per connection and reaps it later).
 */
export function treeCpuSeconds(pid: number): number {
  const fields = (p: number) => {
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  const own = fields(pid);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const child = fields(Number(entry));
      if (Number(child[1]) === pid) ticks += Number(child[11]) + Number(child[12]);
    } catch {
      // Exited while we looked.
    }
  }
  return ticks / 100;
}

/** Read and write system calls a process has made so far (one socket write is one call, batched or not). */
export function syscalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return { reads: Number(/syscr: (\d+)/.exec(io)?.[1] ?? 0), writes: Number(/syscw: (\d+)/.exec(io)?.[1] ?? 0) };
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

function spawnServer(file: string, env: Record<string, string>, cwd = ROOT): ChildProcess {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the servers.
  const extra = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ').filter(Boolean) : [];
  return spawn(process.execPath, [...extra, '--import', 'tsx', file], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** bare Hocuspocus or y-websocket: a child process that reports its port and stats over IPC. */
export async function startIpcServer(kind: Exclude<ServerKind, 'quire' | 'quire-base'>): Promise<ServerHandle> {
  const file = kind === 'y-websocket' ? 'bench/collab/servers/y-websocket.ts' : 'bench/collab/servers/bare-hocuspocus.ts';
  const child = spawnServer(file, { PORT: '0', NODE_ENV: 'production' });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; port?: number }) => message.ready && resolve(message.port!));
  });
  return {
    kind,
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    stats: () =>
      new Promise((resolve) => {
        const onMessage = (message: { documents?: number }) => {
          if (message.documents === undefined) return;
          child.off('message', onMessage);
          resolve({ documents: message.documents });
        };
        child.on('message', onMessage);
        child.send({ cmd: 'stats' });
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/**
 * apps/collab as `pnpm collab` runs it, but as one process so its CPU and memory are its own. With `root`, the
 * apps/collab of that checkout (its own node_modules), reported as `quire-base`.
 */
export async function startQuire(env: Record<string, string>, root?: string): Promise<ServerHandle> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawnServer(
    'apps/collab/src/main.ts',
    {
      COLLAB_PORT: String(port),
      COLLAB_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      ...env,
    },
    root ?? ROOT,
  );
  const ok = await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`collab exited with ${child.exitCode}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
      } catch {
        return false;
      }
    },
    60_000,
    100,
  );
  if (!ok) throw new Error('collab did not become healthy');
  const metric = (text: string, name: string) => {
    const match = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  return {
    kind: root ? 'quire-base' : 'quire',
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    stats: async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return { documents: metric(text, 'collab_documents_loaded'), stores: metric(text, 'collab_stores_total'), logCommits: metric(text, 'collab_log_commits_total') };
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

export function connectClient(server: Pick<ServerHandle, 'kind' | 'url'>, name: string, token?: string, doc = new Y.Doc()): BenchClient {
  if (server.kind === 'y-websocket') {
    // disableBc: in one process, BroadcastChannel would carry updates between clients without the server.
    const provider = new WebsocketProvider(server.url, name, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true });
    return {
      doc,
      synced: async () => {
        if (!(await waitUntil(() => provider.synced, 60_000, 5))) throw new Error('y-websocket client did not sync');
      },
      destroy: () => provider.destroy(),
    };
  }
  const provider = new HocuspocusProvider({ url: server.url, name, document: doc, token: token ?? 'bench', WebSocketPolyfill: WebSocket } as ConstructorParameters<
    typeof HocuspocusProvider
  >[0]);
  return {
    doc,
    synced: async () => {
      if (!(await waitUntil(() => provider.isSynced, 60_000, 5))) throw new Error('hocuspocus client did not sync');
    },
    destroy: () => provider.destroy(),
  };
}

/** CLOCK_MONOTONIC in milliseconds: the same clock in every process on this machine. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The text of the paragraph writer `w` owns in the latency scenarios. */
export function paragraphFor(doc: Y.Doc, w: number): Y.XmlText | undefined {
  for (const node of doc.getXmlFragment('default').toArray()) {
    if (node instanceof Y.XmlElement && node.getAttribute('w') === String(w)) return node.get(0) as Y.XmlText;
  }
  return undefined;
}

export type FleetCommand =
  | { cmd: 'connect'; kind: ServerKind; url: string; token: string; name: string; first: number; count: number }
  | { cmd: 'paragraphs'; writers: number }
  | { cmd: 'converge'; writers: number }
  | { cmd: 'run'; t0: number; interval: number; perWriter: number; writers: number; timeoutMs: number }
  | { cmd: 'close' };

export type FleetReply = { ok: true; ready?: boolean; samples?: Float64Array; missing?: number } | { ok: false; error: string };

/** A client process of bench/collab/fleet.ts, one command at a time. */
export class FleetProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<FleetProcess> {
    const extra = process.env.BENCH_FLEET_NODE_ARGS ? process.env.BENCH_FLEET_NODE_ARGS.split(' ').filter(Boolean) : [];
    const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'bench/collab/fleet.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Typed arrays of samples cross the pipe as binary.
      serialization: 'advanced',
    });
    // A write to a process that already ended surfaces through the reply wait, not as an uncaught 'error'.
    child.on('error', () => {});
    const fleet = new FleetProcess(child);
    await fleet.next();
    return fleet;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private next(): Promise<FleetReply & { ok: true }> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`fleet process exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: FleetReply) => {
        this.child.off('exit', onExit);
        if (message.ok) resolve(message);
        else reject(new Error(message.error));
      });
    });
  }

  send(command: FleetCommand): Promise<FleetReply & { ok: true }> {
    if (!this.child.connected) return Promise.reject(new Error('fleet process has ended'));
    const reply = this.next();
    this.child.send(command);
    return reply;
  }

  private closing: Promise<void> | undefined;

  /** Destroys the process's clients and ends it; safe to call again. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return;
      const gone = exited(this.child);
      await this.send({ cmd: 'close' }).catch(() => {});
      await Promise.race([gone, sleep(2_000).then(() => this.child.kill('SIGKILL'))]);
    })());
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
