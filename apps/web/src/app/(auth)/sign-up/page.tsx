import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { nextPath } from '@quire/domain/schemas';
import { AuthForm } from '@/components/auth/AuthForm';
import { Card } from '@/components/ui';
import { getViewer } from '@/lib/auth/server';

export const metadata: Metadata = { title: 'Create your account' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = nextPath.parse(typeof params.next === 'string' ? params.next : undefined);
  if (await getViewer()) redirect(next);
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="font-serif text-3xl text-ink">Start writing</h1>
      <p className="mt-1 mb-6 text-sm text-stone-600">Create your Quire account. The free plan includes 3 projects.</p>
      <AuthForm mode="sign-up" next={next} email={typeof params.email === 'string' ? params.email : undefined} />
    </Card>
  );
}
