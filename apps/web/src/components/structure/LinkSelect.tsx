'use client';

import { useState, type ReactNode, type SelectHTMLAttributes } from 'react';

export interface LinkChoice {
  id: string;
  title: string;
}

/**
 * A card's link list (its document, its outline section). It lists every choice once the writer reaches for it —
 * pointer over it, pointer down, or keyboard focus, all before the list opens — and until then holds only "none" and
 * the current link. A board of 1,000 sections in a project of 200 documents otherwise builds 200,000 option elements
 * (and sends them in the page's HTML) for lists nobody opened.
 */
export function LinkSelect({ value, none, choices, extra, onChoose, ...props }: {
  value: string | null;
  /** the label of the empty choice, e.g. "No document" */
  none: string;
  choices: readonly LinkChoice[];
  /** options after the list, e.g. "+ New document from this section" */
  extra?: ReactNode;
  onChoose: (value: string) => void;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>) {
  const [listed, setListed] = useState(false);
  const list = () => setListed(true);
  const shown = listed ? choices : choices.filter((c) => c.id === value);
  return (
    <select {...props} value={value ?? ''} onPointerEnter={list} onPointerDown={list} onFocus={list} onChange={(e) => onChoose(e.target.value)}>
      <option value="">{none}</option>
      {shown.map((c) => (
        <option key={c.id} value={c.id}>{c.title}</option>
      ))}
      {extra}
    </select>
  );
}
