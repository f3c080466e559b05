import { getViewer } from '@/lib/auth/server';
import { LinkButton } from '@/components/ui';

/** What a writer can do in Quire today; features still being built are not listed. */
const TODAY = [
  ['Write together, live', 'Co-writers type in the same chapter and see each other’s carets; nothing is lost offline.'],
  ['Comments on the exact words', 'Reviewers select a passage and start a thread; the comment stays on its words as the text changes.'],
  ['Versions you can go back to', 'Name a version, see what changed since, and restore it for everyone.'],
  ['Screenplays in script format', 'Scene headings, cues and dialogue laid out as a script, with the Tab and Enter flow writers expect.'],
];

export default async function Home() {
  const viewer = await getViewer();
  return (
    <div className="grid gap-10 lg:grid-cols-[1.3fr_1fr] lg:items-center">
      <section>
        <p className="text-sm font-medium uppercase tracking-widest text-accent">Collaborative writing studio</p>
        <h1 className="mt-3 font-serif text-5xl leading-tight text-ink sm:text-6xl">Quire</h1>
        <p className="mt-4 max-w-xl text-lg text-stone-700">
          Write novels, screenplays and blog posts together. Co-writers edit the same page live, reviewers leave comments, and
          owners decide who can do what.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          {viewer ? (
            <LinkButton href="/projects">Open your projects</LinkButton>
          ) : (
            <>
              <LinkButton href="/sign-up">Create a free account</LinkButton>
              <LinkButton href="/sign-in" variant="secondary">
                Sign in
              </LinkButton>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="today-title" className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm" data-testid="what-you-can-do">
        <h2 id="today-title" className="font-serif text-xl text-ink">
          What you can do here
        </h2>
        <ul className="mt-3 space-y-3">
          {TODAY.map(([title, text]) => (
            <li key={title}>
              <p className="text-sm font-semibold text-stone-800">{title}</p>
              <p className="text-sm text-stone-600">{text}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
