import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';

const run = promisify(execFile);

/** Debian's epubcheck (the W3C's checker); its /usr/bin/epubcheck is an executable jar, so run the jar with java. */
const JAR = '/usr/share/java/epubcheck.jar';
const command: [string, string[]] = existsSync(JAR) ? ['java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', JAR]] : ['epubcheck', []];

/** epubcheck's report on a book; throws with the report when it finds errors. */
export async function epubcheck(bytes: Uint8Array, name: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quire-epub-'));
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  try {
    const { stdout, stderr } = await run(command[0], [...command[1], file], { timeout: 300_000 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`epubcheck failed for ${name}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The files of an EPUB (a zip), by name; `text(name)` reads one as UTF-8. */
export function epubFiles(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  return { files, names: Object.keys(files), text: (name: string) => strFromU8(files[name]!) };
}
