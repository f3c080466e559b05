import { EmptyState, LinkButton } from '@/components/ui';

export default function Forbidden() {
  return (
    <EmptyState title="Your role does not open this page" action={<LinkButton href="/projects">Go to your projects</LinkButton>}>
      You are a member of this project, but this page is for the owner and editors. If you need it, ask the owner to change your role.
    </EmptyState>
  );
}
