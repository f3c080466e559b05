import { cx } from '@/components/ui';

export function LiveBadge({ connected }: { connected: boolean }) {
  return (
    <span data-testid="live-status" data-connected={connected} className="inline-flex items-center gap-1.5 text-xs text-stone-500">
      <span aria-hidden className={cx('h-2 w-2 rounded-full', connected ? 'bg-emerald-500' : 'bg-stone-300')} />
      {connected ? 'Live' : 'Connecting…'}
    </span>
  );
}
