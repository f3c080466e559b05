import type { OutlineDto } from '@/server/structure/outlines';

/**
 * What generated an outline — model, temperature, prompt — as a record, never a setting: there is nothing here to
 * edit, the API refuses writes to it and the database refuses them from a writer's session.
 */
export function GeneratorNote({ generator }: { generator: NonNullable<OutlineDto['generator']> }) {
  return (
    <section aria-label="How this outline was generated" data-testid="generator" className="rounded-md border border-stone-200 bg-stone-50 px-3 py-2 text-xs text-stone-600">
      <p>
        Generated with <span className="font-medium text-stone-800" data-testid="generator-model">{generator.model ?? 'an unnamed model'}</span>
        {generator.temperature !== null ? (
          <> at temperature <span className="font-medium text-stone-800" data-testid="generator-temperature">{generator.temperature}</span></>
        ) : null}
        . <span className="text-stone-500">A record of how it was made; it cannot be edited.</span>
      </p>
      {generator.prompt ? (
        <details className="mt-1" open={generator.prompt.length <= 400}>
          <summary className="cursor-pointer text-stone-700">Prompt</summary>
          <p className="mt-1 whitespace-pre-wrap break-words text-stone-700" data-testid="generator-prompt">{generator.prompt}</p>
        </details>
      ) : null}
    </section>
  );
}
