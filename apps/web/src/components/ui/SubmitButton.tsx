'use client';

import { useFormStatus } from 'react-dom';
import { Button, type ButtonVariant } from './index';

/** A form's submit button that says it is working while the action runs. */
export function SubmitButton({ children, pendingLabel, variant = 'primary', size = 'md', className }: {
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  className?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} size={size} disabled={pending} aria-disabled={pending} className={className}>
      {pending ? (
        <>
          <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-white/40 border-t-white" />
          {pendingLabel ?? 'Working…'}
        </>
      ) : (
        children
      )}
    </Button>
  );
}
