import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A newcomer's clone of this checkout at `target`: the tracked (and new, unignored) files, plus the installed
 * packages the database launcher needs, hard-linked (they are what `pnpm install` would put there; linking keeps the
 * test fast). Everything stays owned by whoever runs the test.
 */
export async function cloneCheckout(target: string): Promise<void> {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const to = path.join(target, file);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(path.join(ROOT, file), to).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // deleted in the work tree, not yet in git
    });
  }
  for (const modules of ['node_modules', 'packages/db/node_modules', 'packages/domain/node_modules']) {
    execFileSync('cp', ['-al', path.join(ROOT, modules), path.join(target, modules)]);
  }
}

export interface Launched {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output (colours stripped), rejects if the process ends first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stop(): Promise<number | null>;
}

export function launch(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number }): Launched {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (chunk: Buffer) => (log += stripVTControlCharacters(chunk.toString()));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return {
    child,
    output: () => log,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${timeoutMs / 1000}s:\n${log.slice(-3000)}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(log);
          if (match) finish(undefined, match);
        };
        const onExit = () => finish(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${log.slice(-3000)}`));
        function finish(error?: Error, match?: RegExpExecArray) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.stderr!.off('data', check);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve(match!);
        }
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        child.once('exit', onExit);
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', (code) => (clearTimeout(timer), resolve(code)));
        child.kill('SIGTERM');
      }),
  };
}
