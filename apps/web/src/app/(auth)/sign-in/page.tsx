import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { nextPath } from '@quire/domain/schemas';
import { AuthForm } from '@/components/auth/AuthForm';
import { Card } from '@/components/ui';
import { getViewer } from '@/lib/auth/server';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = nextPath.parse(typeof params.next === 'string' ? params.next : undefined);
  if (await getViewer()) redirect(next);
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="font-serif text-3xl text-ink">Welcome back</h1>
      <p className="mt-1 mb-6 text-sm text-stone-600">Sign in to pick up where you left off.</p>
      <AuthForm mode="sign-in" next={next} email={typeof params.email === 'string' ? params.email : undefined} />
    </Card>
  );
}
