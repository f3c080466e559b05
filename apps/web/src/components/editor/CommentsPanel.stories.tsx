import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { fn } from 'storybook/test';
import { CommentsPanel } from './CommentsPanel';
import { people, resolves, threads } from './stories.fixtures';

const meta = {
  title: 'Editor/CommentsPanel',
  component: CommentsPanel,
  decorators: [
    (Story) => (
      <div className="h-[640px] w-[380px] border border-stone-200 bg-paper">
        <Story />
      </div>
    ),
  ],
  args: {
    threads,
    loading: false,
    error: null,
    activeId: null,
    pending: null,
    permissions: { myUserId: people.me.id, canComment: true, canModerate: true },
    actions: {
      onCreate: resolves(),
      onCancelCreate: fn(),
      onReply: resolves(),
      onEdit: resolves(),
      onDelete: resolves(),
      onResolve: resolves(),
      onSelect: fn(),
    },
    onRetry: fn(),
  },
} satisfies Meta<typeof CommentsPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = { args: { threads: [] } };
/** A viewer sees the same empty panel with different advice. */
export const EmptyForAViewer: Story = {
  args: { threads: [], permissions: { myUserId: people.me.id, canComment: false, canModerate: false } },
};
export const Loading: Story = { args: { threads: [], loading: true } };
export const ErrorState: Story = { name: 'Error', args: { threads: [], error: 'You appear to be offline. Try again when the connection is back.' } };
/** Open threads, one with replies and one whose passage was deleted (detached, never dropped). */
export const Populated: Story = {};
/** The selected thread shows its replies and the reply form. */
export const ThreadSelected: Story = { args: { activeId: threads[0]!.root.id } };
/** Selecting a resolved passage switches to the Resolved tab. */
export const ResolvedThreadSelected: Story = { args: { activeId: threads[3]!.root.id } };
/** Text selected and Comment chosen: the new thread's form sits above the list. */
export const NewComment: Story = {
  args: { pending: { quote: 'Mara folded the letter twice', anchor: { from: 'AQ==', to: 'Ag==' } } },
};
/** A commenter: may reply and resolve their own threads, not moderate others'. */
export const AsCommenter: Story = {
  args: { activeId: threads[0]!.root.id, permissions: { myUserId: people.reviewer.id, canComment: true, canModerate: false } },
};
