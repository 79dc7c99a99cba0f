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
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    render(<App />);

    // With no backend to sign in to, the app stops at its sign-in page,
    // which offers the guest provider it is configured with. Loading the
    // whole app can take more than the default second on a busy machine.
    expect(
      await screen.findByText('Guest', undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
  });
});
