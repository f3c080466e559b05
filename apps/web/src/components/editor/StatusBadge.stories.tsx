import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { StatusBadge } from './StatusBadge';

const meta = {
  title: 'Editor/StatusBadge',
  component: StatusBadge,
  parameters: { layout: 'centered' },
  args: { unsyncedOffline: false },
} satisfies Meta<typeof StatusBadge>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Loading: the live connection is opening. */
export const Connecting: Story = { args: { status: 'connecting' } };
export const Saving: Story = { args: { status: 'saving' } };
export const Saved: Story = { args: { status: 'saved' } };
/** A viewer or commenter, connected and reading live. */
export const ReadOnly: Story = { args: { status: 'read-only' } };
export const Offline: Story = { args: { status: 'offline' } };
/** Offline with edits that only this browser has. */
export const OfflineWithLocalEdits: Story = { args: { status: 'offline', unsyncedOffline: true } };
/** Error: the collab server refused the connection. */
export const Refused: Story = { args: { status: 'refused' } };
