import type { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { waitUntil } from '../collab/harness';
import { connect, type Person } from './studio';

export interface CoWriters {
  /** Characters the co-writers typed so far. */
  typed(): number;
  stop(): void;
}

const PHRASE = 'the tide came in under the pier and nobody looked up ';

/** The text of the block at `index` of the manuscript, where a co-writer types. */
function textAt(doc: Y.Doc, index: number): Y.XmlText {
  const block = doc.getXmlFragment('default').get(index);
  const text = block instanceof Y.XmlElement ? block.get(0) : undefined;
  if (!(text instanceof Y.XmlText)) throw new Error(`block ${index} of the chapter holds no text`);
  return text;
}

/**
 * Co-writers as real @hocuspocus/provider clients, each signed in as its own editor, typing one character at a time
 * at the end of its own paragraph at `charsPerSecond`, with its caret published through awareness so the measured
 * editor draws it. Stops by itself after `maxSeconds`.
 */
export async function startCoWriters(options: {
  collabUrl: string;
  documentId: string;
  people: Person[];
  /** The block each co-writer types into, one per person. */
  blocks: number[];
  charsPerSecond: number;
  maxSeconds: number;
}): Promise<CoWriters> {
  const providers: HocuspocusProvider[] = [];
  const timers: NodeJS.Timeout[] = [];
  let typed = 0;
  const stop = () => {
    for (const timer of timers) clearInterval(timer);
    for (const provider of providers) provider.destroy();
  };
  try {
    for (const [i, person] of options.people.entries()) {
      const provider = connect(options.collabUrl, options.documentId, person);
      providers.push(provider);
      if (!(await waitUntil(() => provider.isSynced, 60_000, 20))) throw new Error(`${person.name}'s client did not sync`);
      provider.setAwarenessField('user', { name: person.name, color: ['#b45309', '#0f766e'][i % 2] });
      const text = textAt(provider.document, options.blocks[i]!);
      let n = 0;
      const limit = Math.ceil(options.charsPerSecond * options.maxSeconds);
      const timer = setInterval(() => {
        if (n >= limit) return clearInterval(timer);
        text.insert(text.length, PHRASE[n++ % PHRASE.length]!);
        typed++;
        const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length));
        provider.setAwarenessField('cursor', { anchor: caret, head: caret });
      }, 1000 / options.charsPerSecond);
      timers.push(timer);
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { typed: () => typed, stop };
}
