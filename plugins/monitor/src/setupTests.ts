import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy… and waitFor wait up to 1 s by default: too short for a dialog to
// close and the page to reload when the machine also runs the backend and
// browser suites. Waiting longer changes no outcome, only how long a
// failure takes to show.
configure({ asyncUtilTimeout: 5_000 });

// The first render of a page loads MUI and the Backstage components, which
// on a busy 2-core machine can take longer than Jest's 5 s for a test.
jest.setTimeout(30_000);
