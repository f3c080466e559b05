'use client';

import { Button, EmptyState } from '@/components/ui';

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState title="Something went wrong" action={<Button onClick={reset}>Try again</Button>}>
      Your writing is safe. This page could not load just now; try again, and if it keeps happening, reload the page.
    </EmptyState>
  );
}
