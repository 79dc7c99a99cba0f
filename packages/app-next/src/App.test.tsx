import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders its sign-in page, with the guest provider', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // With no backend to sign in to, the app stops at its sign-in page,
    // which offers the guest provider it is configured with.
    expect(await screen.findByText('Guest')).toBeInTheDocument();
  });
});
