import { CHARACTER_ROLE_LABELS, type CharacterRole } from '@quire/domain/bible/characters';
import { cx } from '@/components/ui';

/**
 * Where the page reads a character's portrait: the API streams it through storage as the viewer. The picture's own
 * folder id is in the address, so a new picture is a new address and an unchanged one stays cached.
 */
export function portraitUrl(projectId: string, character: { id: string; imagePath: string | null }, size: 'thumb' | 'display'): string | null {
  if (!character.imagePath) return null;
  const picture = character.imagePath.split('/').at(-2) ?? '';
  return `/api/projects/${projectId}/characters/${character.id}/portrait?size=${size}&v=${picture}`;
}

const initials = (name: string) =>
  name.split(/\s+/u).filter(Boolean).slice(0, 2).map((w) => [...w][0]!.toUpperCase()).join('');

/** The portrait, or the character's initials on a tinted disc when there is none. */
export function Portrait({ projectId, character, size, className }: {
  projectId: string;
  character: { id: string; name: string; imagePath: string | null };
  size: 'thumb' | 'display';
  className?: string;
}) {
  const url = portraitUrl(projectId, character, size);
  if (url) {
    // eslint-disable-next-line @next/next/no-img-element -- private pictures streamed by our own API, not next/image's loader
    return <img src={url} alt={`Portrait of ${character.name}`} className={cx('bg-stone-100 object-cover', className)} data-testid={`portrait-${size}`} />;
  }
  return (
    <span aria-hidden className={cx('flex items-center justify-center bg-gradient-to-br from-amber-100 to-stone-200 font-serif text-stone-600', className)} data-testid="portrait-initials">
      {initials(character.name)}
    </span>
  );
}

const ROLE_TONES: Record<CharacterRole, string> = {
  protagonist: 'bg-amber-100 text-amber-900',
  antagonist: 'bg-red-100 text-red-900',
  deuteragonist: 'bg-orange-100 text-orange-900',
  love_interest: 'bg-pink-100 text-pink-900',
  mentor: 'bg-sky-100 text-sky-900',
  supporting: 'bg-emerald-100 text-emerald-900',
  minor: 'bg-stone-100 text-stone-700',
  other: 'bg-stone-100 text-stone-700',
};

export function RoleTag({ role }: { role: CharacterRole }) {
  return <span className={cx('inline-block rounded-full px-2 py-0.5 text-xs font-medium', ROLE_TONES[role])}>{CHARACTER_ROLE_LABELS[role]}</span>;
}
