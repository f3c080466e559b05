import type { StorybookConfig } from '@storybook/nextjs-vite';

// The Next.js flavour of the Vite builder: next/link, next/navigation and next/image work in stories as they do in
// the app, and the app's own PostCSS config (Tailwind 4) styles them.
const config: StorybookConfig = {
  framework: '@storybook/nextjs-vite',
  stories: ['../src/**/*.stories.tsx'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};

export default config;
