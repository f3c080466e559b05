import { EmptyState, LinkButton } from '@/components/ui';

export default function NotFound() {
  return (
    <EmptyState title="We could not find that page" action={<LinkButton href="/projects">Go to your projects</LinkButton>}>
      It may have been deleted, or you may not have access to it. If someone shared it with you, ask them to check your role.
    </EmptyState>
  );
}
