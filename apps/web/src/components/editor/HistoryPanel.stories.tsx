import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { fn } from 'storybook/test';
import { HistoryPanel } from './HistoryPanel';
import { people, resolves, versions } from './stories.fixtures';

const meta = {
  title: 'Editor/HistoryPanel',
  component: HistoryPanel,
  decorators: [
    (Story) => (
      <div className="h-[560px] w-[360px] border border-stone-200 bg-paper">
        <Story />
      </div>
    ),
  ],
  args: {
    versions,
    loading: false,
    error: null,
    selectedId: null,
    canEdit: true,
    myUserId: people.me.id,
    naming: false,
    onStartNaming: fn(),
    onSave: resolves(),
    onCancelNaming: fn(),
    onSelect: fn(),
    onRetry: fn(),
  },
} satisfies Meta<typeof HistoryPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = { args: { versions: [] } };
export const EmptyForAReader: Story = { args: { versions: [], canEdit: false } };
export const Loading: Story = { args: { versions: [], loading: true } };
export const ErrorState: Story = { name: 'Error', args: { versions: [], error: 'You appear to be offline. Try again when the connection is back.' } };
export const Populated: Story = {};
export const VersionSelected: Story = { args: { selectedId: versions[1]!.id } };
export const NamingAVersion: Story = { args: { naming: true } };
/** Refreshing after a change: the list stays while the new one loads, and a failed refresh says so above it. */
export const RefreshFailed: Story = { args: { loading: true, error: 'The server answered 503.' } };
