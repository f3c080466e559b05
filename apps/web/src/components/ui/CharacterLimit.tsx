'use client';

import { useState, type ComponentProps } from 'react';
import { cx } from './index';

/**
 * How much of a field's limit is used, shown from 80 % of it on. Fields never cut text themselves: what is too long
 * is sent as typed and the server's refusal is shown, so nothing the writer typed disappears without a word.
 */
export function CharacterCount({ length, limit, className }: { length: number; limit: number; className?: string }) {
  if (length < limit * 0.8) return null;
  const over = length - limit;
  return (
    <p className={cx('text-xs tabular-nums', over > 0 ? 'font-medium text-red-700' : 'text-stone-500', className)} aria-live="polite" data-testid="character-count" data-over={over > 0 ? 'true' : 'false'}>
      {length.toLocaleString('en-US')} / {limit.toLocaleString('en-US')}
      {over > 0 ? ` · ${over.toLocaleString('en-US')} too many` : ''}
    </p>
  );
}

/** A text input that counts towards its limit (see CharacterCount); the rest of its props go to the input. */
export function LimitedInput({ limit, wrapperClassName, onChange, ...props }: ComponentProps<'input'> & { limit: number; wrapperClassName?: string }) {
  const [length, setLength] = useState(String(props.value ?? props.defaultValue ?? '').length);
  const shown = props.value !== undefined ? String(props.value).length : length;
  return (
    <div className={cx('space-y-1', wrapperClassName)}>
      <input
        {...props}
        onChange={(event) => {
          setLength(event.target.value.length);
          onChange?.(event);
        }}
      />
      <CharacterCount length={shown} limit={limit} />
    </div>
  );
}
