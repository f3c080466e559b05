import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { expect, userEvent, within } from 'storybook/test';
import { SubmitButton } from './SubmitButton';

// A server action that never answers, so the pending state stays on screen once the form is sent.
const neverAnswers = () => new Promise<void>(() => {});

const meta = {
  title: 'UI/SubmitButton',
  component: SubmitButton,
  parameters: { layout: 'centered' },
  args: { children: 'Create project', pendingLabel: 'Creating…' },
  render: (args) => (
    <form action={neverAnswers}>
      <SubmitButton {...args} />
    </form>
  ),
} satisfies Meta<typeof SubmitButton>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = {};

export const Pending: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button'));
    await expect(await canvas.findByText('Creating…')).toBeVisible();
  },
};

export const Danger: Story = { args: { variant: 'danger', children: 'Delete project', pendingLabel: 'Deleting…' } };
