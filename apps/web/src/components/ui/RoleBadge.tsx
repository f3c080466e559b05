import { ROLE_LABELS, type ProjectRole } from '@quire/domain/roles';
import { cx } from './index';

const STYLE: Record<ProjectRole | 'reviewer', string> = {
  owner: 'bg-amber-100 text-amber-900 ring-amber-300',
  editor: 'bg-emerald-100 text-emerald-900 ring-emerald-300',
  commenter: 'bg-sky-100 text-sky-900 ring-sky-300',
  viewer: 'bg-stone-100 text-stone-700 ring-stone-300',
  reviewer: 'bg-violet-100 text-violet-900 ring-violet-300',
};

/** The caller's role in a project; `null` means they only have documents shared with them. */
export function RoleBadge({ role }: { role: ProjectRole | null }) {
  const key = role ?? 'reviewer';
  const label = role ? ROLE_LABELS[role] : 'Shared documents';
  return (
    <span data-role={key} className={cx('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', STYLE[key])}>
      {label}
    </span>
  );
}

export function AccessBadge({ canEdit }: { canEdit: boolean }) {
  return (
    <span
      data-access={canEdit ? 'write' : 'read'}
      className={cx(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
        canEdit ? 'bg-emerald-100 text-emerald-900 ring-emerald-300' : 'bg-stone-100 text-stone-700 ring-stone-300',
      )}
    >
      {canEdit ? 'Can edit' : 'Read only'}
    </span>
  );
}
