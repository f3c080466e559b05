import Link from 'next/link';
import { getViewer } from '@/lib/auth/server';
import { getPool } from '@/lib/db';
import { ownsAPlan } from '@/server/billing/account';
import { signOutAction } from '@/app/actions/auth';
import { buttonClass } from './ui';

export async function AppHeader() {
  const viewer = await getViewer();
  // the header never fails a page: without an answer about the plan it simply leaves the link out
  const billingLink = viewer ? await ownsAPlan(getPool(), viewer.claims).catch(() => false) : false;
  return (
    <header className="border-b border-stone-200 bg-white/80 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href={viewer ? '/projects' : '/'} className="font-serif text-2xl tracking-tight text-ink">
          Quire
        </Link>
        <nav aria-label="Account" className="flex items-center gap-2 text-sm">
          {viewer ? (
            <>
              <Link href="/projects" className="hidden rounded-md px-2 py-1 text-stone-700 hover:bg-stone-100 sm:inline">
                Projects
              </Link>
              {billingLink ? (
                <Link href="/billing" className="rounded-md px-2 py-1 text-stone-700 hover:bg-stone-100" data-testid="billing-link">
                  Billing
                </Link>
              ) : null}
              <span className="hidden max-w-[16rem] truncate text-stone-500 md:inline" title={viewer.email}>
                {viewer.email}
              </span>
              <form action={signOutAction}>
                <button type="submit" className={buttonClass('secondary', 'sm')}>
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/sign-in" className={buttonClass('ghost', 'sm')}>
                Sign in
              </Link>
              <Link href="/sign-up" className={buttonClass('primary', 'sm')}>
                Create account
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
