import { Spinner } from '@/components/ui';

export default function Loading() {
  return (
    <div className="flex min-h-[30vh] items-center justify-center">
      <Spinner />
    </div>
  );
}
