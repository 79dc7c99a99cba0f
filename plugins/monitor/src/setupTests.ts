import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy… and waitFor wait up to 1 s by default: too short for a dialog to
// close and the page to reload when the machine also runs the backend and
// browser suites (at a load average of 14 on 2 cores, 5 s was not enough
// for a page to show a reloaded list). Waiting longer changes no outcome,
// only how long a failure takes to show.
configure({ asyncUtilTimeout: 20_000 });

// The first render of a page loads MUI and the Backstage components, which
// on a busy 2-core machine can take longer than Jest's 5 s for a test; with
// the other suites beside it (a load average of 13 to 15 on 2 cores), one
// test of a few clicks took over 30 s.
jest.setTimeout(90_000);
