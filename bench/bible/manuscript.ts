/**
 * A deterministic 150k-word manuscript for the mentions benchmark: a cast of 300 characters with 3 names each (full
 * name, first name, nickname) and 200 places, many with non-ASCII letters, named throughout ordinary prose, often next
 * to punctuation and in possessives.
 */

export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'kl', 'st', 'tr', 'ż', 'ł', 'ch', 'sz'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'é', 'ë', 'ó', 'ä', 'y', 'ia', 'ou'];
const WORDS = ('the a of and to in was she he they had said with at on for not but as her his it that from by this had were '
  + 'would could into over under light water harbour salt road map quiet long night morning door window ship rope stone '
  + 'wind sea shore after before again never always still only across through between against toward').split(' ');

function syllables(rand: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ONSETS[Math.floor(rand() * ONSETS.length)]! + VOWELS[Math.floor(rand() * VOWELS.length)]!;
  return out;
}

const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export interface Bible {
  characters: Array<{ id: string; name: string; aliases: string[] }>;
  locations: Array<{ id: string; name: string }>;
}

export function makeBible(seed = 7): Bible {
  const rand = random(seed);
  const used = new Set<string>();
  const fresh = (n: number) => {
    for (;;) {
      const s = capital(syllables(rand, n));
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    }
  };
  const characters = Array.from({ length: 300 }, (_, i) => {
    const first = fresh(2);
    const last = fresh(3);
    return { id: `c${i}`, name: `${first} ${last}`, aliases: [first, fresh(2).slice(0, 5)] };
  });
  const locations = Array.from({ length: 200 }, (_, i) => ({ id: `l${i}`, name: i % 3 === 0 ? `Port ${fresh(2)}` : fresh(3) }));
  return { characters, locations };
}

/** Chapters of prose, about `words` words in all, naming someone or somewhere every ~12 words. */
export function makeManuscript(bible: Bible, words = 150_000, chapters = 40, seed = 11): string[] {
  const rand = random(seed);
  const names = [...bible.characters.flatMap((c) => [c.name, ...c.aliases]), ...bible.locations.map((l) => l.name)];
  const per = Math.ceil(words / chapters);
  const out: string[] = [];
  for (let c = 0; c < chapters; c++) {
    const paragraphs: string[] = [];
    let count = 0;
    while (count < per) {
      const sentences: string[] = [];
      for (let s = 0; s < 5 && count < per; s++) {
        const parts: string[] = [];
        const length = 8 + Math.floor(rand() * 10);
        for (let w = 0; w < length; w++) {
          if (rand() < 0.08) {
            const name = names[Math.floor(rand() * names.length)]!;
            const decoration = rand();
            parts.push(decoration < 0.15 ? `${name}'s` : decoration < 0.25 ? `(${name})` : decoration < 0.35 ? `“${name},”` : name);
            count += name.split(' ').length;
          } else {
            parts.push(WORDS[Math.floor(rand() * WORDS.length)]!);
            count++;
          }
        }
        sentences.push(capital(parts.join(' ')) + '.');
      }
      paragraphs.push(sentences.join(' '));
    }
    out.push(paragraphs.join('\n'));
  }
  return out;
}
