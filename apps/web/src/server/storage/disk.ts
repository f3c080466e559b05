import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/**
 * The embedded storage's bytes: one file per object version, `<root>/<bucket>/<v[0..2]>/<version>`. A version is a
 * fresh uuid on every write, so new bytes never overwrite the ones a committed row points to: the row switches to
 * the new version in its transaction and the old file is removed after commit.
 */
export class DiskStore {
  constructor(readonly root: string) {}

  private file(bucket: string, version: string): string {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(bucket) || !/^[0-9a-f-]{36}$/.test(version)) throw new Error('bad storage key');
    return path.join(this.root, bucket, version.slice(0, 2), version);
  }

  async write(bucket: string, version: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(bucket, version);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes, { flag: 'wx' });
  }

  /** The bytes as a web stream and their size; null when the file is missing. */
  async read(bucket: string, version: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null> {
    const file = this.file(bucket, version);
    try {
      const { size } = await stat(file);
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
    } catch {
      return null;
    }
  }

  async remove(bucket: string, version: string | null | undefined): Promise<void> {
    if (!version) return;
    await rm(this.file(bucket, version), { force: true }).catch(() => {});
  }
}
