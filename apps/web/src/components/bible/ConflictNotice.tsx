import type { ReactNode } from 'react';
import { Button } from '@/components/ui';

/**
 * What a bible form shows when its save answered 409: the other writer's version (as the server sent it with the
 * conflict), while this writer's text stays in the fields. Saving again applies theirs on top of the new version.
 */
export function ConflictNotice({ what, onTakeTheirs, children }: { what: string; onTakeTheirs: () => void; children: ReactNode }) {
  return (
    <div role="alert" data-testid="conflict" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="font-semibold">Someone else changed this {what} while you were editing.</p>
      <div className="mt-1" data-testid="conflict-theirs">{children}</div>
      <p className="mt-2">Your text is still in the form. Save to apply yours on top, or take theirs.</p>
      <Button size="sm" variant="secondary" className="mt-2" onClick={onTakeTheirs} data-testid="take-theirs">Take theirs</Button>
    </div>
  );
}
