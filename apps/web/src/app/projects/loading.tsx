import { Skeleton, Spinner } from '@/components/ui';

export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <Spinner label="Loading your projects" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-36" />
        ))}
      </div>
    </div>
  );
}
