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

/**
 * A text input that counts towards its limit (see CharacterCount); the rest of its props go to the input. Without a
 * `value` it keeps its own, so a form action that is refused (React resets uncontrolled fields after every action)
 * leaves what the writer typed in place beside the server's message.
 */
export function LimitedInput({ limit, wrapperClassName, onChange, defaultValue, ...props }: ComponentProps<'input'> & { limit: number; wrapperClassName?: string }) {
  const [own, setOwn] = useState(String(defaultValue ?? ''));
  const value = props.value !== undefined ? String(props.value) : own;
  return (
    <div className={cx('space-y-1', wrapperClassName)}>
      <input
        {...props}
        value={value}
        onChange={(event) => {
          setOwn(event.target.value);
          onChange?.(event);
        }}
      />
      <CharacterCount length={value.length} limit={limit} />
    </div>
  );
}
