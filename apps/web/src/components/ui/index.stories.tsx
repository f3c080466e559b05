import type { Meta, StoryObj } from '@storybook/nextjs-vite';
import { Alert, Button, Card, EmptyState, Field, LinkButton, PageTitle, Skeleton, Spinner, inputClass } from './index';

// The shared building blocks, each in the states the screens put it in.
const meta = {
  title: 'UI/Building blocks',
  parameters: { layout: 'padded' },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

export const Buttons: Story = {
  render: () => (
    <div className="flex flex-wrap items-center gap-3">
      <Button>Create project</Button>
      <Button variant="secondary">Cancel</Button>
      <Button variant="danger">Delete project</Button>
      <Button variant="ghost">More</Button>
      <Button size="sm">Small</Button>
      <Button disabled>Disabled</Button>
      <LinkButton href="/projects" variant="secondary">
        All projects
      </LinkButton>
    </div>
  ),
};

export const Fields: Story = {
  render: () => (
    <form className="max-w-sm space-y-4" onSubmit={(event) => event.preventDefault()}>
      <Field label="Title" htmlFor="title" hint="Shown on the dashboard and in exports.">
        <input id="title" className={inputClass} defaultValue="The Salt Road" />
      </Field>
      <Field label="Email" htmlFor="email" error="Enter an email address like name@example.com.">
        <input id="email" className={inputClass} aria-invalid="true" aria-describedby="email-error" defaultValue="not-an-email" />
      </Field>
    </form>
  ),
};

export const Alerts: Story = {
  render: () => (
    <div className="max-w-lg space-y-3">
      <Alert title="Could not save">The server answered 503. Your text is kept in this browser.</Alert>
      <Alert tone="success">Invitation sent to ada@example.com.</Alert>
      <Alert tone="info">Billing is not configured on this server; plan limits still apply.</Alert>
      <Alert tone="warning">You are reading a version from yesterday.</Alert>
    </div>
  ),
};

export const Empty: Story = {
  render: () => (
    <EmptyState title="No projects yet" action={<Button>Start a novel</Button>}>
      Start from a template: a novel, a screenplay or a blog post.
    </EmptyState>
  ),
};

export const Loading: Story = {
  render: () => (
    <div className="max-w-lg space-y-4">
      <Spinner label="Loading projects" />
      <Card className="space-y-3 p-5">
        <Skeleton className="h-6 w-1/2" />
        <Skeleton className="h-4 w-full" />
        <Skeleton className="h-4 w-5/6" />
      </Card>
    </div>
  ),
};

export const Populated: Story = {
  render: () => (
    <div className="max-w-3xl space-y-6">
      <PageTitle subtitle="Novel · 84,210 words" actions={<Button variant="secondary">Settings</Button>}>
        The Salt Road
      </PageTitle>
      <Card className="p-5">
        <h2 className="font-serif text-lg">Part One</h2>
        <p className="mt-1 text-sm text-stone-600">Six chapters, last edited 3 minutes ago.</p>
      </Card>
    </div>
  ),
};
