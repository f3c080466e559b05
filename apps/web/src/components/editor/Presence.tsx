'use client';

import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { initials } from './format';

export interface PresentUser {
  key: string;
  userId: string | null;
  name: string;
  color: string;
  isMe: boolean;
}

/** Everyone with this document open, one entry per person however many tabs they have, from awareness. */
export function usePresence(awareness: Awareness | null | undefined, myUserId: string | null): PresentUser[] {
  const [users, setUsers] = useState<PresentUser[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const read = () => {
      const byPerson = new Map<string, PresentUser>();
      for (const [clientId, state] of awareness.getStates()) {
        // the collab server stamps each entry with the verified { id, name, color } of the connection that sent it
        const user = (state as { user?: { name?: unknown; color?: unknown; id?: unknown; userId?: unknown } }).user;
        if (!user || typeof user.name !== 'string' || !user.name) continue;
        const userId = typeof user.id === 'string' ? user.id : typeof user.userId === 'string' ? user.userId : null;
        const key = userId ?? `client:${clientId}`;
        const isMe = clientId === awareness.clientID || (!!userId && userId === myUserId);
        if (byPerson.has(key)) continue;
        byPerson.set(key, {
          key,
          userId,
          name: user.name,
          color: typeof user.color === 'string' ? user.color : '#64748b',
          isMe,
        });
      }
      setUsers([...byPerson.values()].sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name)));
    };
    read();
    awareness.on('change', read);
    return () => awareness.off('change', read);
  }, [awareness, myUserId]);
  return users;
}

export function PresenceAvatars({ users }: { users: PresentUser[] }) {
  const shown = users.slice(0, 5);
  const more = users.length - shown.length;
  const others = users.filter((u) => !u.isMe).length;
  return (
    <div className="flex items-center" aria-label={`${users.length} ${users.length === 1 ? 'person' : 'people'} in this document`} data-testid="presence">
      <ul className="flex -space-x-2">
        {shown.map((user) => (
          <li key={user.key}>
            <span
              className="flex size-8 items-center justify-center rounded-full text-xs font-semibold text-white ring-2 ring-white select-none"
              style={{ backgroundColor: user.color }}
              title={user.isMe ? `${user.name} (you)` : user.name}
              data-presence-name={user.name}
            >
              {initials(user.name)}
            </span>
          </li>
        ))}
      </ul>
      {more > 0 && <span className="ml-2 text-xs text-stone-500">+{more}</span>}
      <span className="sr-only">{others === 0 ? 'Only you are here' : `${others} other ${others === 1 ? 'person' : 'people'} here`}</span>
    </div>
  );
}
