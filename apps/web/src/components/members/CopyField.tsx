'use client';

import { useState } from 'react';
import { Button, cx, inputClass } from '@/components/ui';

export function CopyField({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-col gap-2 sm:flex-row">
      <label className="sr-only" htmlFor="copy-field">
        {label}
      </label>
      <input id="copy-field" readOnly value={value} onFocus={(e) => e.currentTarget.select()} className={cx(inputClass, 'font-mono text-xs')} data-testid="invitation-link" />
      <Button
        variant="secondary"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
            setCopied(true);
            window.setTimeout(() => setCopied(false), 2000);
          } catch {
            // clipboard refused (insecure origin): the field is selected so Ctrl+C works
            (document.getElementById('copy-field') as HTMLInputElement | null)?.select();
          }
        }}
      >
        {copied ? 'Copied' : 'Copy link'}
      </Button>
    </div>
  );
}
