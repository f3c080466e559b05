/** The editor's icons: 20px strokes in currentColor, drawn for this toolbar. */
import type { ReactNode } from 'react';

function Icon({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden={!label} aria-label={label}>
      {children}
    </svg>
  );
}

export const icons = {
  bold: (
    <Icon>
      <path d="M6 4h5a3 3 0 0 1 0 6H6zM6 10h6a3 3 0 0 1 0 6H6z" />
    </Icon>
  ),
  italic: (
    <Icon>
      <path d="M12 4H8.5M11.5 16H8M11 4 9 16" />
    </Icon>
  ),
  strike: (
    <Icon>
      <path d="M4 10h12M13.5 6.5C13 5 11.7 4 10 4 8 4 6.5 5.2 6.5 6.8c0 1 .6 1.8 1.6 2.3M6.5 13.5C7 15 8.3 16 10 16c2 0 3.5-1.2 3.5-2.8" />
    </Icon>
  ),
  bulletList: (
    <Icon>
      <path d="M8 5.5h8M8 10h8M8 14.5h8" />
      <circle cx="4.5" cy="5.5" r=".8" fill="currentColor" />
      <circle cx="4.5" cy="10" r=".8" fill="currentColor" />
      <circle cx="4.5" cy="14.5" r=".8" fill="currentColor" />
    </Icon>
  ),
  orderedList: (
    <Icon>
      <path d="M8.5 5.5H16M8.5 10H16M8.5 14.5H16M3.8 4.2l1-.7v4M3.5 12.2c.3-.5.8-.7 1.2-.7.6 0 1.1.4 1.1 1 0 .9-2.3 1.7-2.3 2.8h2.4" />
    </Icon>
  ),
  quote: (
    <Icon>
      <path d="M4 12.5c0-3 1.5-5 4-6M8 14.5a2 2 0 1 1-2-2M11 12.5c0-3 1.5-5 4-6M15 14.5a2 2 0 1 1-2-2" />
    </Icon>
  ),
  sceneBreak: (
    <Icon>
      <path d="M3 10h2.5M8.75 10h2.5M14.5 10H17" />
      <path d="M10 4v2M10 14v2" opacity=".5" />
    </Icon>
  ),
  undo: (
    <Icon>
      <path d="M7.5 5 4 8.5 7.5 12M4 8.5h7.5a4.5 4.5 0 0 1 0 9H9" />
    </Icon>
  ),
  redo: (
    <Icon>
      <path d="M12.5 5 16 8.5 12.5 12M16 8.5H8.5a4.5 4.5 0 0 0 0 9H11" />
    </Icon>
  ),
  comment: (
    <Icon>
      <path d="M4 5.5A1.5 1.5 0 0 1 5.5 4h9A1.5 1.5 0 0 1 16 5.5v6.5a1.5 1.5 0 0 1-1.5 1.5H9l-3.5 3v-3h0A1.5 1.5 0 0 1 4 12z" />
      <path d="M10 6.5v4.5M7.75 8.75h4.5" />
    </Icon>
  ),
  history: (
    <Icon>
      <path d="M3.5 10a6.5 6.5 0 1 0 2-4.7L3.5 7.3M3.5 3.8v3.5H7" />
      <path d="M10 6.5V10l2.5 1.5" />
    </Icon>
  ),
  bookmark: (
    <Icon>
      <path d="M6 3.5h8v13l-4-3-4 3z" />
    </Icon>
  ),
  close: (
    <Icon>
      <path d="m5 5 10 10M15 5 5 15" />
    </Icon>
  ),
  check: (
    <Icon>
      <path d="m4.5 10.5 3.5 3.5 7.5-8" />
    </Icon>
  ),
  reopen: (
    <Icon>
      <path d="M15.5 10A5.5 5.5 0 1 1 10 4.5c1.8 0 3.3.8 4.3 2.1M14.8 3.5v3.3h-3.3" />
    </Icon>
  ),
  lock: (
    <Icon>
      <rect x="4.5" y="9" width="11" height="7.5" rx="1.5" />
      <path d="M7 9V6.8a3 3 0 0 1 6 0V9" />
    </Icon>
  ),
  back: (
    <Icon>
      <path d="M12 4.5 6.5 10l5.5 5.5" />
    </Icon>
  ),
  restore: (
    <Icon>
      <path d="M4 10a6 6 0 1 0 1.8-4.3L4 7.5M4 4v3.5h3.5" />
    </Icon>
  ),
};
