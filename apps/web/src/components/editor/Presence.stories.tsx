import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { PresenceAvatars } from './Presence';
import { people, present } from './stories.fixtures';

// PresenceAvatars draws what usePresence reads from awareness; awareness itself needs a live connection, so the
// stories hand it the list directly.
const meta = {
  title: 'Editor/Presence',
  component: PresenceAvatars,
  parameters: { layout: 'centered' },
} satisfies Meta<typeof PresenceAvatars>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Empty (and loading): awareness has not reported anyone yet. */
export const Empty: Story = { args: { users: [] } };
export const OnlyMe: Story = { args: { users: present(people.me) } };
export const CoWriters: Story = { args: { users: present(people.me, people.coWriter, people.reviewer) } };
/** More than five people: the rest are counted. */
export const Crowded: Story = {
  args: {
    users: present(
      people.me,
      people.coWriter,
      people.reviewer,
      ...['Dana Wu', 'Eli Moreau', 'Farah Haddad', 'Gus Lindqvist'].map((name, i) => ({ id: `7d1c0e0a-0000-4000-8000-00000000010${i}`, name })),
    ),
  },
};
