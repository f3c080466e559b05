import type { Preview } from '@storybook/nextjs-vite';
import '../src/app/globals.css';
import '../src/components/editor/editor.css';

const preview: Preview = {
  parameters: {
    // components under src/components may use next/navigation (App Router), so every story gets its context
    nextjs: { appDirectory: true },
    layout: 'padded',
    backgrounds: { disable: true },
  },
};

export default preview;
