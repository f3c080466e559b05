import { Skeleton, Spinner } from '@/components/ui';

export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true">
      <Spinner />
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} className="h-12" />
      ))}
    </div>
  );
}
