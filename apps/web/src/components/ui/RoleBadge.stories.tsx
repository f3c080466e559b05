import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { AccessBadge, RoleBadge } from './RoleBadge';

const meta = {
  title: 'UI/RoleBadge',
  component: RoleBadge,
  parameters: { layout: 'centered' },
} satisfies Meta<typeof RoleBadge>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Owner: Story = { args: { role: 'owner' } };
export const Editor: Story = { args: { role: 'editor' } };
export const Commenter: Story = { args: { role: 'commenter' } };
export const Viewer: Story = { args: { role: 'viewer' } };
/** Someone who is not a member but has documents shared with them. */
export const SharedDocumentsOnly: Story = { args: { role: null } };

export const Access: Story = {
  args: { role: 'editor' },
  render: () => (
    <div className="flex gap-2">
      <AccessBadge canEdit />
      <AccessBadge canEdit={false} />
    </div>
  ),
};
