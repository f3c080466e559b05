import type { Page } from 'playwright-core';

/** Creates an account through the sign-up screen and waits for the dashboard it lands on. */
export async function signUp(page: Page, person: { name: string; email: string; password: string }) {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  // the first pages of a freshly started studio can be slow on a busy machine
  await page.getByRole('heading', { name: 'Your projects' }).waitFor({ timeout: 60_000 });
}
