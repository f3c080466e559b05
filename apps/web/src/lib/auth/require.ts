import { redirect } from 'next/navigation';
import { getViewer, type Viewer } from './server';

/** Pages behind sign-in: send the visitor to sign in and bring them back to `returnTo` afterwards. */
export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}
